// Runs uvu over a test directory and fails when not every test ran: uvu swallows the error of a `before` hook (a
// `return` in its runner's `finally`) and counts that file's tests as neither passed nor failed, with exit 0.
// `tsx test/run-uvu.ts DIR [PATTERN]` (npm run test:unit); test/lab/run.ts calls runUvu.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const REPO_ROOT = join(import.meta.dirname, "..");

/** How many tests uvu's summary says neither passed nor were skipped, or undefined when it printed no summary. */
export function testsNotRun(output: string): number | undefined {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the escape character starts the ANSI colour codes removed here
  const plain = output.replace(/\u001b\[[0-9;]*m/g, "");
  const count = (label: string) => /^\s+(\d+)$/.exec(plain.split(`${label}:`).at(-1)?.split("\n")[0] ?? "")?.[1];
  const [total, passed, skipped] = [count("Total"), count("Passed"), count("Skipped")];
  if (total === undefined || passed === undefined || skipped === undefined) return undefined;
  return Number(total) - Number(passed) - Number(skipped);
}

/** uvu over `dir` (files matching `pattern`), output passed through; its exit code, or 1 when a test did not run. */
export function runUvu(dir: string, pattern: string): Promise<number> {
  return new Promise((resolve) => {
    // uvu without -r imports each test file, so tsx's ESM loader resolves packages the way Node does (execa is import-only).
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(REPO_ROOT, "node_modules/uvu/bin.js"), dir, pattern],
      { cwd: REPO_ROOT, stdio: ["inherit", "pipe", "inherit"] },
    );
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      process.stdout.write(chunk);
      output += chunk.toString();
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once("SIGINT", forward).once("SIGTERM", forward);
    child.on("close", (code) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      const notRun = testsNotRun(output);
      if (code === 0 && notRun !== 0) {
        console.error(
          notRun === undefined
            ? "uvu printed no summary: the tests did not all run"
            : `${notRun} test(s) did not run: a test.before hook threw (uvu prints no error for it)`,
        );
        resolve(1);
      } else resolve(code ?? 1);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, pattern = ".test.ts$"] = process.argv.slice(2);
  if (!dir) throw new Error("usage: tsx test/run-uvu.ts DIR [PATTERN]");
  void runUvu(dir, pattern).then((code) => (process.exitCode = code));
}
