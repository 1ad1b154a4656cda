// The lab tier's entry (`npm run test:lab`): lab up, uvu over test/lab, lab down — also on failure or Ctrl-C.
import { spawn } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { buildApp } from "../../app/build.ts";
import { down, leftoverParts, up } from "../../lab/lab.ts";
import { REPO_ROOT } from "../../lab/paths.ts";
import { TARGET, TEST_LOG } from "./harness.ts";

function runUvu(pattern: string): Promise<number> {
  return new Promise((resolve) => {
    // uvu without -r imports each test file, so tsx's ESM loader resolves packages the way Node does (execa is import-only).
    const child = spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "node_modules/uvu/bin.js"), "test/lab", pattern], { cwd: REPO_ROOT, stdio: "inherit" });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once("SIGINT", forward).once("SIGTERM", forward);
    child.on("close", (code) => resolve(code ?? 1));
  });
}

async function main(): Promise<number> {
  const pattern = process.argv[2] ?? ".test.ts$";
  await buildApp();
  rmSync(TEST_LOG, { force: true }); // the log of this run only: the tests search it for secrets
  if (TARGET === "vagrant") return runUvu(pattern);
  let code = 1;
  try {
    await up();
    code = await runUvu(pattern);
  } finally {
    if (process.env.KEEP_LAB) console.log("KEEP_LAB set: the lab stays up (npm run lab -- down)");
    else {
      await down();
      const left = leftoverParts();
      if (left.length > 0) {
        console.error(`lab down left: ${left.join(", ")}`);
        code = 1;
      }
    }
  }
  return code;
}

main().then(
  (code) => (process.exitCode = code),
  (error: Error) => {
    console.error(error.stack ?? error.message);
    process.exitCode = 1;
  },
);
