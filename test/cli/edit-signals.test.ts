// `secrets edit` under SIGINT, SIGTERM and SIGHUP: the clear-text file is gone, the editor ended, and the signal ends the command.
import { spawn } from "node:child_process";
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { scratchDir } from "../unit/support/scratch.ts";

/** Edit through an editor that notes its file, sends `signal` to the editing process, then waits on stdin until it is ended. */
function editEndedBy(signal: NodeJS.Signals): Promise<{ signal: NodeJS.Signals | null; file: string }> {
  const dir = scratchDir("edit-signal-");
  const editor = join(dir, "editor.sh");
  const noted = join(dir, "file");
  writeFileSync(
    editor,
    `#!/bin/sh\nprintf '%s' "$1" > ${noted}\nkill -${signal.slice(3)} "$EDIT_TEST_PID"\nexec cat > /dev/null\n`,
  );
  chmodSync(editor, 0o755);
  const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "support/edit-secrets.ts")], {
    env: { ...process.env, EDITOR: editor, VISUAL: "" },
    stdio: ["pipe", "inherit", "inherit"],
  });
  return new Promise((resolve) =>
    child.on("exit", (_code, ended) => {
      child.stdin.destroy();
      resolve({ signal: ended, file: readFileSync(noted, "utf8") });
    }),
  );
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const)
  test(`${signal} while the editor runs: no clear-text file is left, and ${signal} ends the command`, async () => {
    const ended = await editEndedBy(signal);
    assert.ok(ended.file.includes("foobar-secrets-"), `the editor got the private file (${ended.file})`);
    assert.not.ok(existsSync(ended.file), `${ended.file} is removed`);
    assert.is(ended.signal, signal);
  });

test.run();
