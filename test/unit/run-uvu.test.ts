// test/uvu-guard.ts over real test files and real uvu: each way a file can fail to run is reported as what it is.
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { scratchDir } from "./support/scratch.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");
const HEALTHY = `test("one", () => {});\ntest("two", () => {});\ntest.run();`;

/**
 * Runs `script` (test/uvu-guard.ts, or test/run-uvu.ts as npm run test:unit does) over test files (name: the code after
 * `import { test } from "uvu";`) in a scratch directory; its exit code, stdout with uvu's duration as Xms, and stderr.
 */
async function run(files: Record<string, string>, script = "test/uvu-guard.ts", pattern = ".test.ts$") {
  const dir = scratchDir("uvu-guard-");
  writeFileSync(join(dir, "package.json"), `{ "type": "module" }\n`);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  for (const [name, code] of Object.entries(files))
    writeFileSync(join(dir, name), `import { test } from "uvu";\n${code}\n`);
  const child = await execa(process.execPath, ["--import", "tsx", script, dir, pattern], {
    cwd: REPO_ROOT,
    env: { NO_COLOR: "1", FORCE_COLOR: undefined }, // uncoloured, though the unit tier's own run sets FORCE_COLOR
    reject: false,
  });
  return {
    dir,
    code: child.exitCode,
    stdout: child.stdout.replace(/Duration: +[\d.]+ms/, "Duration:  Xms"),
    stderr: child.stderr,
  };
}

/** uvu's summary as it prints it. */
const summary = (total: number, passed: number, skipped: number) =>
  `  Total:     ${total}\n  Passed:    ${passed}\n  Skipped:   ${skipped}\n  Duration:  Xms\n`;

// The runs start together, at import, so that their processes overlap; each test awaits its own.
const skipped = run({
  "a.test.ts": HEALTHY,
  "b-skip.test.ts": `test("kept", () => {});\ntest.skip("later", () => {});\ntest.run();`,
});
const noRun = run({ "a-no-run.test.ts": `test("forgotten", () => {});`, "b.test.ts": HEALTHY });
const importThrow = run({
  "a-throws.test.ts": `test("registered first", () => {});\nthrow new Error("config missing");`,
  "b.test.ts": HEALTHY,
});
const beforeThrow = run({
  "a.test.ts": HEALTHY,
  "b-before.test.ts": `test.before(() => {\n  throw new Error("database not reachable");\n});\ntest("needs the database", () => {});\ntest.run();`,
  "c-suite.test.ts": `import { suite } from "uvu";\nconst db = suite("db");\ndb.before(() => {\n  throw new Error("no db");\n});\ndb("query", () => {});\ndb.run();`,
});
const afterThrow = run({
  "a-after.test.ts": `test.after(() => {\n  throw new Error("cleanup failed");\n});\ntest("fine", () => {});\ntest.run();`,
  "b-after-each.test.ts": `test.after.each(() => {\n  throw new Error("reset failed");\n});\ntest("first", () => {});\ntest("second", () => {});\ntest.run();`,
  "c.test.ts": HEALTHY,
});
const focused = run(
  { "a.test.ts": HEALTHY, "b-only.test.ts": `test("other", () => {});\ntest.only("focused", () => {});\ntest.run();` },
  "test/run-uvu.ts",
);
const noMatch = run({ "a.test.ts": HEALTHY }, "test/uvu-guard.ts", "web.tset.ts$");

test("a skipped test: reported with its file and count, the run passes", async () => {
  const { code, stdout, stderr } = await skipped;
  assert.is(
    stdout,
    `a.test.ts\n• •   (2 / 2)\n\nb-skip.test.ts\n•   (1 / 1)\n\n${summary(3, 3, 1)}\nb-skip.test.ts: 1 test(s) skipped`,
  );
  assert.is(stderr, "");
  assert.is(code, 0);
});

test("a file without test.run(): the run fails, naming it; its tests do not join the next file's", async () => {
  const { code, stdout, stderr } = await noRun;
  assert.is(stdout, `b.test.ts\n• •   (2 / 2)\n\n${summary(2, 2, 0)}`);
  assert.is(stderr, "a-no-run.test.ts: no test.run(): its tests did not run");
  assert.is(code, 1);
});

test("a throw at import: the run fails, naming the file and the error, after the other files ran", async () => {
  const { code, stdout, stderr } = await importThrow;
  assert.is(stdout, `b.test.ts\n• •   (2 / 2)\n\n${summary(2, 2, 0)}`);
  assert.match(stderr, /^a-throws\.test\.ts threw at import: Error: config missing\n {4}at .*a-throws\.test\.ts:3:7/);
  assert.ok(stderr.endsWith("\na-throws.test.ts: threw at import: config missing"), stderr);
  assert.is(code, 1);
});

test("a before hook that throws: the run fails, naming the file, the hook's error if watched, and the tests not run", async () => {
  const { code, stdout, stderr } = await beforeThrow;
  assert.is(
    stdout,
    `a.test.ts\n• •   (2 / 2)\n\nb-before.test.ts\n  (0 / 1)\n\nc-suite.test.ts\n db    (0 / 1)\n\n${summary(4, 2, 0)}`,
  );
  // The guard watches the shared `test`; a suite()'s hooks it does not, so its error is lost but uvu's counts remain.
  assert.is(
    stderr,
    "b-before.test.ts: 1 of 1 test(s) did not run: test.before threw: database not reachable\n" +
      "c-suite.test.ts: 1 of 1 test(s) did not run: a hook threw (uvu swallowed its error)",
  );
  assert.is(code, 1);
});

test("a test.after or test.after.each that throws: the run fails, naming each file and error; every test still ran", async () => {
  const { code, stdout, stderr } = await afterThrow;
  assert.is(
    stdout,
    `a-after.test.ts\n•   (1 / 1)\n\nb-after-each.test.ts\n• •   (2 / 2)\n\nc.test.ts\n• •   (2 / 2)\n\n${summary(5, 5, 0)}`,
  );
  assert.is(
    stderr,
    "a-after.test.ts: test.after threw: cleanup failed\nb-after-each.test.ts: test.after.each threw: reset failed",
  );
  assert.is(code, 1);
});

test("test.only left in: the run fails, naming the file (through test/run-uvu.ts, as npm run test:unit runs)", async () => {
  const { code, stdout, stderr } = await focused;
  assert.is(stdout, `a.test.ts\n• •   (2 / 2)\n\nb-only.test.ts\n•   (1 / 1)\n\n${summary(3, 3, 1)}`);
  assert.is(stderr, "b-only.test.ts: test.only left in: 1 other test(s) did not run");
  assert.is(code, 1);
});

test("a pattern that matches no file: the run fails, saying so", async () => {
  const { dir, code, stdout, stderr } = await noMatch;
  assert.is(stdout, "");
  assert.is(stderr, `no file in ${dir} matches web.tset.ts$`);
  assert.is(code, 1);
});

test.run();
