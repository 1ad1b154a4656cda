// test/uvu-guard.ts over real test files and real uvu: each way a file can fail to run is reported as what it is.
import { symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { shardFiles } from "../uvu-shards.ts";
import { scratchDir } from "../unit/support/scratch.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");
const HEALTHY = `test("one", () => {});\ntest("two", () => {});\ntest.run();`;

/**
 * Runs `script` (test/uvu-guard.ts, or test/run-uvu.ts as npm run test:unit does) over test files (name: the code after
 * `import { test } from "uvu";`) in a scratch directory; its exit code, stdout with uvu's duration as Xms, and stderr.
 */
async function run(
  files: Record<string, string>,
  script = "test/uvu-guard.ts",
  pattern = ".test.ts$",
  extra: string[] = [],
) {
  const dir = scratchDir("uvu-guard-");
  writeFileSync(join(dir, "package.json"), `{ "type": "module" }\n`);
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  for (const [name, code] of Object.entries(files))
    writeFileSync(join(dir, name), `import { test } from "uvu";\n${code}\n`);
  const child = await execa(process.execPath, ["--import", "tsx", script, dir, pattern, ...extra], {
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

// One guard run over files that each fail to run in their own way (and healthy ones between them), one sharded run
// through test/run-uvu.ts, one run that matches nothing: they start together, at import, so that their processes overlap.
const mixed = run({
  "a.test.ts": HEALTHY,
  "b-skip.test.ts": `test("kept", () => {});\ntest.skip("later", () => {});\ntest.run();`,
  "c-no-run.test.ts": `test("forgotten", () => {});`,
  "c2.test.ts": HEALTHY,
  "d-throws.test.ts": `test("registered first", () => {});\nthrow new Error("config missing");`,
  "e-before.test.ts": `test.before(() => {\n  throw new Error("database not reachable");\n});\ntest("needs the database", () => {});\ntest.run();`,
  "f-suite.test.ts": `import { suite } from "uvu";\nconst db = suite("db");\ndb.before(() => {\n  throw new Error("no db");\n});\ndb("query", () => {});\ndb.run();`,
  "g-after.test.ts": `test.after(() => {\n  throw new Error("cleanup failed");\n});\ntest("fine", () => {});\ntest.run();`,
  "h-after-each.test.ts": `test.after.each(() => {\n  throw new Error("reset failed");\n});\ntest("first", () => {});\ntest("second", () => {});\ntest.run();`,
});
const focused = run(
  { "a.test.ts": HEALTHY, "b-only.test.ts": `test("other", () => {});\ntest.only("focused", () => {});\ntest.run();` },
  "test/run-uvu.ts",
  ".test.ts$",
  ["--workers", "2"],
);
const noMatch = run({ "a.test.ts": HEALTHY }, "test/uvu-guard.ts", "web.tset.ts$");

/** The lines of the mixed run's stderr that name `file` at their start. */
const linesAbout = async (file: string) =>
  (await mixed).stderr.split("\n").filter((line) => line.startsWith(`${file}:`) || line.startsWith(`${file} `));

test("the mixed run: each file's block as uvu prints it, in order, broken files left out; the run fails", async () => {
  const { code, stdout } = await mixed;
  assert.is(
    stdout,
    "a.test.ts\n• •   (2 / 2)\n\n" +
      "b-skip.test.ts\n•   (1 / 1)\n\n" +
      "\n" + // uvu's line for c-no-run's entry, emptied by the guard
      "c2.test.ts\n• •   (2 / 2)\n\n" +
      "\n" + // d-throws's
      "e-before.test.ts\n  (0 / 1)\n\n" +
      "f-suite.test.ts\n db    (0 / 1)\n\n" +
      "g-after.test.ts\n•   (1 / 1)\n\n" +
      "h-after-each.test.ts\n• •   (2 / 2)\n\n" +
      `${summary(10, 8, 1)}\nb-skip.test.ts: 1 test(s) skipped`,
  );
  assert.is(code, 1);
});

test("a skipped test: reported with its file and count on stdout, not as a failure", async () => {
  assert.equal(await linesAbout("b-skip.test.ts"), []);
  assert.ok((await mixed).stdout.endsWith("\nb-skip.test.ts: 1 test(s) skipped"));
});

test("a file without test.run(): named; its tests do not join the next file's (c2 shows its own 2)", async () => {
  assert.equal(await linesAbout("c-no-run.test.ts"), ["c-no-run.test.ts: no test.run(): its tests did not run"]);
  assert.match((await mixed).stdout, /^c2\.test\.ts\n• • {3}\(2 \/ 2\)$/m);
});

test("a throw at import: the file and the error with its stack, and the other files still ran", async () => {
  const { stderr } = await mixed;
  assert.match(stderr, /^d-throws\.test\.ts threw at import: Error: config missing\n {4}at .*d-throws\.test\.ts:3:7/m);
  assert.ok(stderr.includes("\nd-throws.test.ts: threw at import: config missing"), stderr);
});

test("a before hook that throws: the file, the hook's error if watched, and the tests not run", async () => {
  // The guard watches the shared `test`; a suite()'s hooks it does not, so its error is lost but uvu's counts remain.
  assert.equal(await linesAbout("e-before.test.ts"), [
    "e-before.test.ts: 1 of 1 test(s) did not run: test.before threw: database not reachable",
  ]);
  assert.equal(await linesAbout("f-suite.test.ts"), [
    "f-suite.test.ts: 1 of 1 test(s) did not run: a hook threw (uvu swallowed its error)",
  ]);
});

test("a test.after or test.after.each that throws: each file and error; every test still ran", async () => {
  assert.equal(await linesAbout("g-after.test.ts"), ["g-after.test.ts: test.after threw: cleanup failed"]);
  assert.equal(await linesAbout("h-after-each.test.ts"), ["h-after-each.test.ts: test.after.each threw: reset failed"]);
});

test("test.only left in, through test/run-uvu.ts with two workers (as npm run test:unit runs): named, the run fails", async () => {
  const { code, stdout, stderr } = await focused;
  assert.ok(stdout.includes("a.test.ts\n• •   (2 / 2)\n"), stdout);
  assert.ok(stdout.includes("b-only.test.ts\n•   (1 / 1)\n"), stdout);
  assert.ok(stdout.endsWith("\n2 files in 2 workers: 3 tests, 3 passed, 1 skipped"), stdout);
  assert.is(stderr, "b-only.test.ts: test.only left in: 1 other test(s) did not run");
  assert.is(code, 1);
});

test("a pattern that matches no file: the run fails, saying so", async () => {
  const { dir, code, stdout, stderr } = await noMatch;
  assert.is(stdout, "");
  assert.is(stderr, `no file in ${dir} matches web.tset.ts$`);
  assert.is(code, 1);
});

test("shards: longest first, each to the lightest worker; unknown files weigh the median known duration", () => {
  const durations = { "a.test.ts": 9000, "b.test.ts": 5000, "c.test.ts": 4000, "d.test.ts": 100 };
  const names = ["a.test.ts", "b.test.ts", "c.test.ts", "d.test.ts", "e.test.ts"];
  assert.equal(
    shardFiles(names, durations, () => "/nonexistent", 2),
    [
      ["a.test.ts", "c.test.ts"],
      ["b.test.ts", "d.test.ts", "e.test.ts"],
    ],
  );
  assert.equal(
    shardFiles(["a.test.ts"], durations, () => "/nonexistent", 4),
    [["a.test.ts"]],
    "no empty worker",
  );
});

test.run();
