// The manual's commands, run as a reader types them, in page order against the lab: each gives the exit code its page
// says (0 unless the line ends with `# exit N`). The ones .ci/run runs itself (the newcomer's two) are left to it.
import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import { capture } from "../../lab/run-command.ts";
import { manualCommands, runByCi } from "../doc-commands.ts";
import { TARGET, TEST_LOG } from "./harness.ts";

if (TARGET === "lab") {
  for (const { file, line, command, exitCode } of manualCommands().filter((item) => !runByCi(item.command))) {
    test(`${file}:${line}: ${command}`, async () => {
      const result = await capture("bash", ["-c", command], { cwd: REPO_ROOT });
      mkdirSync(join(REPO_ROOT, ".lab", "test-logs"), { recursive: true });
      appendFileSync(TEST_LOG, `$ ${command}\n${result.stdout}\n${result.stderr}\n`);
      assert.is(
        result.code,
        exitCode,
        `exit ${result.code}, ${file}:${line} says ${exitCode}:\n${result.stderr || result.stdout}`,
      );
    });
  }
}

test.run();
