// The lab tier's entry (`npm run test:lab`): lab up, uvu over test/lab, lab down — also on failure or Ctrl-C.
import { rmSync } from "node:fs";
import { buildApp } from "../../app/build.ts";
import { down, leftoverParts, up } from "../../lab/lab.ts";
import { runUvu } from "../run-uvu.ts";
import { TARGET, TEST_LOG } from "./harness.ts";

async function main(): Promise<number> {
  const pattern = process.argv[2] ?? ".test.ts$";
  await buildApp();
  rmSync(TEST_LOG, { force: true }); // the log of this run only: the tests search it for secrets
  if (TARGET === "vagrant") return runUvu("test/lab", pattern);
  let code = 1;
  try {
    await up();
    code = await runUvu("test/lab", pattern);
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
