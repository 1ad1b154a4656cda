// The lab's own commands (lab/cli.ts, lab/packages.ts) exit 4 on a usage error, as bin/foobar-infra does: 2 only means "something would change".
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO_ROOT = join(import.meta.dirname, "../..");
/** `tsx FILE ARGS…` from the repo root, in a child process. */
const tsxRun = (file: string, ...args: string[]) =>
  spawnSync(process.execPath, ["--import", "tsx", file, ...args], { cwd: REPO_ROOT, encoding: "utf8" });

test("lab/cli.ts: an unknown command or host is a usage error (exit 4), before anything runs", () => {
  for (const [args, message] of [
    [["stat"], /^lab: unknown command "stat"\n\nUsage: npm run lab/],
    [["reset", "db-01", "db-9"], /^lab: reset: no lab host "db-9" \(lab hosts: /],
  ] as const) {
    const result = tsxRun("lab/cli.ts", ...args);
    assert.is(result.status, 4, `lab ${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, message);
    assert.is(result.stdout, "");
  }
});

test("lab/packages.ts: an unknown command is a usage error (exit 4)", () => {
  for (const args of [["instal", "lab"]]) {
    const result = tsxRun("lab/packages.ts", ...args);
    assert.is(result.status, 4, `packages ${args.join(" ")}: ${result.stderr}`);
    assert.match(result.stderr, /Usage: tsx lab\/packages\.ts /);
  }
});

test.run();
