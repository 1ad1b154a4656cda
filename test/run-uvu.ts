// Runs a test directory through test/uvu-guard.ts: `tsx test/run-uvu.ts DIR [PATTERN] [--workers N|auto]`, or runUvu.
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { stripVTControlCharacters } from "node:util";
import { parse } from "uvu/parse";
import { readDurations, shardFiles, writeDurations } from "./uvu-shards.ts";

const REPO_ROOT = join(import.meta.dirname, "..");
const GUARD = join(import.meta.dirname, "uvu-guard.ts");

interface GuardRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** One guard process over `dir`'s files matching `pattern`; output inherited, or captured when `capture` is given. */
function runGuard(dir: string, pattern: string, capture?: { durationsFile: string }): Promise<GuardRun> {
  return new Promise((resolve) => {
    // tsx's ESM loader imports each test file, resolving packages the way Node does (execa is import-only).
    const child = spawn(process.execPath, ["--import", "tsx", GUARD, dir, pattern], {
      cwd: REPO_ROOT,
      stdio: capture ? ["ignore", "pipe", "pipe"] : "inherit",
      env: capture ? { ...process.env, FOOBAR_UVU_DURATIONS: capture.durationsFile } : process.env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk));
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    process.once("SIGINT", forward).once("SIGTERM", forward);
    child.on("close", (code) => {
      process.off("SIGINT", forward).off("SIGTERM", forward);
      resolve({ code: code ?? 1, stdout, stderr });
    });
  });
}

/** uvu's counts in a guard's output (coloured or not). */
function counts(stdout: string): { total: number; passed: number; skipped: number } {
  const plain = stripVTControlCharacters(stdout);
  const count = (label: string) => Number(new RegExp(`^\\s*${label}:\\s+(\\d+)`, "m").exec(plain)?.[1] ?? 0);
  return { total: count("Total"), passed: count("Passed"), skipped: count("Skipped") };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * uvu over `dir`'s files matching `pattern`, with their output; 1 when a test failed or a file did not run as written.
 * With several workers the files are split into that many guard processes, balanced by each file's duration in the
 * last run (file size when none is known); each worker's output is printed whole when it ends, then the totals.
 */
export async function runUvu(dir: string, pattern: string, workers = 1): Promise<number> {
  const { suites } = await parse(dir, pattern, { cwd: REPO_ROOT });
  if (workers <= 1 || suites.length <= 1) return (await runGuard(dir, pattern)).code;
  const durationsKey = `${dir}:${pattern}`;
  const shards = shardFiles(
    suites.map((suite) => suite.name),
    readDurations(durationsKey),
    (name) => join(dir, name),
    workers,
  );
  const runs = await Promise.all(
    shards.map(async (names, index) => {
      const durationsFile = join(REPO_ROOT, ".cache", `uvu-durations-${process.pid}-${index}.json`);
      const run = await runGuard(dir, `^(${names.map(escapeRegExp).join("|")})$`, { durationsFile });
      process.stdout.write(run.stdout);
      process.stderr.write(run.stderr);
      return { ...run, durationsFile };
    }),
  );
  writeDurations(
    durationsKey,
    runs.map((run) => run.durationsFile),
  );
  const total = runs
    .map((run) => counts(run.stdout))
    .reduce((sum, next) => ({
      total: sum.total + next.total,
      passed: sum.passed + next.passed,
      skipped: sum.skipped + next.skipped,
    }));
  console.log(
    `\n${suites.length} files in ${shards.length} workers: ${total.total} tests, ${total.passed} passed, ${total.skipped} skipped`,
  );
  return Math.max(...runs.map((run) => run.code));
}

/** `--workers N` or `auto` (this machine's parallelism); 1 when not given. */
function workersFrom(value: string | undefined): number {
  if (value === undefined) return 1;
  const workers = value === "auto" ? availableParallelism() : Number(value);
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`--workers: a whole number or auto, not ${value}`);
  return workers;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const args = process.argv.slice(2);
  const flag = args.indexOf("--workers");
  const workers = workersFrom(flag >= 0 ? (args.splice(flag, 2)[1] ?? "") : undefined);
  const [dir, pattern = ".test.ts$"] = args;
  if (!dir) throw new Error("usage: tsx test/run-uvu.ts DIR [PATTERN] [--workers N|auto]");
  void runUvu(dir, pattern, workers).then((code) => (process.exitCode = code));
}
