// Runs a test directory through test/uvu-guard.ts in a child process: `tsx test/run-uvu.ts DIR [PATTERN]`, or runUvu.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** uvu over `dir`'s files matching `pattern`, with their output; 1 when a test failed or a file did not run as written. */
export function runUvu(dir: string, pattern: string): Promise<number> {
  return new Promise((resolve) => {
    // tsx's ESM loader imports each test file, resolving packages the way Node does (execa is import-only).
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "uvu-guard.ts"), dir, pattern],
      {
        cwd: join(import.meta.dirname, ".."),
        stdio: "inherit",
      },
    );
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once("SIGINT", forward).once("SIGTERM", forward);
    child.on("close", (code) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve(code ?? 1);
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const [dir, pattern = ".test.ts$"] = process.argv.slice(2);
  if (!dir) throw new Error("usage: tsx test/run-uvu.ts DIR [PATTERN]");
  void runUvu(dir, pattern).then((code) => (process.exitCode = code));
}
