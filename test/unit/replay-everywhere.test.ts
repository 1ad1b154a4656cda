// The bench's host side alone: the replay script gives each address its own command and stdin, all at once, and
// fails when one of them fails. An `ssh` stand-in runs the command here through /bin/sh.
import { spawnSync } from "node:child_process";
import { chmodSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { type RecordedExec, replayEverywhere } from "../../bench/whole-process.ts";
import { scratchDir } from "./support/scratch.ts";

/** An `ssh` that drops its address and runs the command it was given through sh, as the login shell would. */
function fakeSsh(dir: string): string {
  const path = join(dir, "ssh");
  writeFileSync(path, '#!/bin/sh\nshift\nexec /bin/sh -c "$1"\n');
  chmodSync(path, 0o755);
  return path;
}

function scripts(
  dir: string,
  byAddress: Record<string, { command: string; stdin: string }>,
): Map<string, RecordedExec> {
  const entries = Object.entries(byAddress).map(([address, { command, stdin }]) => {
    const stdinFile = join(dir, `${address}.stdin`);
    writeFileSync(stdinFile, stdin);
    return [address, { command, stdinFile }] as const;
  });
  return new Map(entries);
}

const run = (argv: string[]) => spawnSync(argv[0]!, argv.slice(1), { encoding: "utf8" });

test("each address gets its own command, quoted whole, and its own stdin", () => {
  const dir = scratchDir("host-scripts-");
  const replay = replayEverywhere(
    [fakeSsh(dir)],
    scripts(dir, {
      "10.0.0.1": { command: `cat > ${join(dir, "one")}`, stdin: "first host's 'script'\n" },
      "10.0.0.2": { command: `sh -c 'cat > "$0"' ${join(dir, "two")}`, stdin: "second\n" },
    }),
  );
  const result = run(replay);
  assert.is(result.status, 0, result.stderr);
  assert.is(readFileSync(join(dir, "one"), "utf8"), "first host's 'script'\n");
  assert.is(readFileSync(join(dir, "two"), "utf8"), "second\n");
});

test("the replay fails when one host's exec fails", () => {
  const dir = scratchDir("host-scripts-");
  const replay = replayEverywhere(
    [fakeSsh(dir)],
    scripts(dir, {
      "10.0.0.1": { command: "cat > /dev/null", stdin: "ok\n" },
      "10.0.0.2": { command: "exit 3", stdin: "" },
    }),
  );
  assert.is(run(replay).status, 1);
});

test.run();
