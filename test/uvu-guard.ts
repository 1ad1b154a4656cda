// uvu's runner over DIR's files matching PATTERN, as its CLI runs them, failing each file that did not run as written.
import { writeFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import type { Callback, Test } from "uvu";
import { parse } from "uvu/parse";

/** A suite uvu queued with test.run(): its failures (true when none), and how many tests passed, were skipped, ran. */
type Suite = () => Promise<[failures: string | true, passed: number, skipped: number, total: number]>;

declare global {
  var UVU_DEFER: number; // set: test.run() queues the suite for exec() instead of running it
  var UVU_INDEX: number; // the file being imported: test.run() queues into UVU_QUEUE[UVU_INDEX]
  var UVU_QUEUE: [name?: string, ...suites: Suite[]][]; // exec() prints each file's name, then runs its suites
}

/** What one test file did: set while it is imported (`broken`, `focused`) and while its suites run. */
interface FileRun {
  name: string;
  broken?: string;
  focused: boolean;
  hookError?: string;
  failed: boolean;
  passed: number;
  skipped: number;
  total: number;
  /** How long its suites ran (ms), for test/uvu-shards.ts's balance. */
  durationMs: number;
}

const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** Why `file` fails the run, if it does; uvu reports failed tests itself. */
function failure(file: FileRun): string | undefined {
  if (file.broken) return file.broken;
  const notRun = file.failed ? 0 : file.total - file.passed;
  if (notRun > 0)
    return `${notRun} of ${file.total} test(s) did not run: ${file.hookError ?? "a hook threw (uvu swallowed its error)"}`;
  if (file.hookError) return file.hookError;
  if (file.focused) return `test.only left in: ${file.skipped} other test(s) did not run`;
}

/** Notes on `test` what the file being imported registers: its `test.only` and the errors of its before and after hooks. */
function watch(test: Test, file: () => FileRun): void {
  const { before, after, only } = test;
  // A before hook's error still stops its suite; an after hook's is kept and swallowed, so uvu carries on with the run
  // (it would abandon the file after a test.after.each, and the whole run after a test.after).
  const noted = (kind: string, register: (hook: Callback) => void, rethrow: boolean) => (hook: Callback) => {
    const run = file();
    register(async (context) => {
      try {
        await hook(context);
      } catch (error) {
        run.hookError ??= `${kind} threw: ${message(error)}`;
        if (rethrow) throw error;
      }
    });
  };
  test.before = Object.assign(noted("test.before", before, true), { each: before.each });
  test.after = Object.assign(noted("test.after", after, false), { each: noted("test.after.each", after.each, false) });
  test.only = (name, handler) => {
    file().focused = true;
    only(name, handler);
  };
}

/** Counts what `suite` did into `file`. */
const counted =
  (suite: Suite, file: FileRun): Suite =>
  async () => {
    const started = performance.now();
    const result = await suite();
    file.durationMs += performance.now() - started;
    const [failures, passed, skipped, total] = result;
    file.failed ||= failures !== true;
    file.passed += passed;
    file.skipped += skipped;
    file.total += total;
    return result;
  };

/** Imports each file, queuing its suites, runs them (uvu's exec), and reports each file that did not run as written. */
async function main(dir: string, pattern: string): Promise<void> {
  if (process.env.NO_COLOR === undefined) process.env.FORCE_COLOR = "1"; // as uvu's CLI: colours also when piped
  globalThis.UVU_DEFER = 1;
  const { exec, test } = await import("uvu");
  const { suites: selected } = await parse(dir, pattern);
  if (selected.length === 0) {
    console.error(`no file in ${dir} matches ${pattern}`);
    process.exitCode = 1;
    return;
  }
  const files: FileRun[] = [];
  watch(test, () => files.at(-1)!);
  for (const [index, { name, file }] of selected.entries()) {
    const run: FileRun = { name, focused: false, failed: false, passed: 0, skipped: 0, total: 0, durationMs: 0 };
    files.push(run);
    globalThis.UVU_INDEX = index;
    UVU_QUEUE.push([name]);
    try {
      await import(pathToFileURL(file).href);
      if (UVU_QUEUE[index]!.length === 1) run.broken = "no test.run(): its tests did not run";
    } catch (error) {
      console.error(`${name} threw at import:`, error);
      run.broken = `threw at import: ${message(error)}`;
    }
    // A broken file's entry is emptied, with what it registered (so that it does not join the next file's suite).
    if (run.broken) test.run();
    const [, ...suites] = UVU_QUEUE[index]!;
    UVU_QUEUE[index] = run.broken ? [] : [name, ...suites.map((suite) => counted(suite, run))];
  }
  await exec(); // sets process.exitCode: 1 when a test failed
  for (const file of files)
    if (file.skipped > 0 && !file.focused) console.log(`${file.name}: ${file.skipped} test(s) skipped`);
  const failed = files.flatMap((file) => {
    const why = failure(file);
    return why ? [`${file.name}: ${why}`] : [];
  });
  for (const line of failed) console.error(line);
  if (failed.length > 0) process.exitCode = 1;
  const durationsFile = process.env.FOOBAR_UVU_DURATIONS;
  if (durationsFile)
    writeFileSync(durationsFile, JSON.stringify(Object.fromEntries(files.map((file) => [file.name, file.durationMs]))));
}

const [dir, pattern] = process.argv.slice(2);
if (!dir || !pattern) throw new Error("usage: node --import tsx test/uvu-guard.ts DIR PATTERN");
await main(dir, pattern);
