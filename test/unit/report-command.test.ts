// `report [ID] -o FILE.html [-i ENV]` over a scratch run history: the named run or the environment's last as the page
// (0600), the line that says so, the command line after the script by default; its help; -o required, one id at most, an
// environment with no run: input errors.
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPORT_HELP, reportCommand } from "../../lib/cli/report-command.ts";
import { writeRecord } from "../../lib/report/history-store.ts";
import { reportPage } from "../../lib/report/report-page.ts";
import { runTitle } from "../../lib/report/run-diff.ts";
import type { RunHeader } from "../../lib/report/run-record.ts";
import { fakeInventory } from "./support/kv-host.ts";
import { scratchDir } from "./support/scratch.ts";
import { runHeader } from "./support/run-header.ts";

const dir = scratchDir("report-command-");
const header = (id: string, environment: string): RunHeader => runHeader(id, { environment });
const records = [
  header("20261205-100000.000-0001", "test"),
  header("20261205-110000.000-0002", "test"),
  header("20261205-120000.000-0003", "other"),
  header("20261205-130000.000-0004", "test"),
];
for (const record of records) writeRecord(dir, record, `${JSON.stringify(record)}\n`, { runs: 10, days: 1e6 }, 0);
const spec = fakeInventory(["h1"]);
const inventory = { environments: { test: spec.environments.test!, empty: spec.environments.test! } };

/** What `report ARGV` printed and returned, or the message it threw (no ARGV: the process's command line). */
async function report(argv?: string[]): Promise<{ code?: number; printed: string; error?: string }> {
  let printed = "";
  const { log } = console;
  console.log = (...parts: unknown[]) => (printed += `${parts.join(" ")}\n`);
  process.env.FOOBAR_RUN_HISTORY_DIR = dir;
  try {
    return { code: await reportCommand(inventory, argv), printed };
  } catch (error) {
    return { printed, error: (error as Error).message };
  } finally {
    console.log = log;
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
  }
}

test("without an id, the environment's last run; with one, that run: the page (0600) and the line saying so", async () => {
  const last = join(dir, "last.html");
  assert.equal(await report(["-i", "test", "-o", last]), {
    code: 0,
    printed: `wrote ${last}: run ${runTitle(records[3]!)}\n`,
  });
  assert.is(readFileSync(last, "utf8"), reportPage({ header: records[3]!, events: [] }));
  assert.is(statSync(last).mode & 0o777, 0o600);
  const named = join(dir, "named.html");
  assert.is((await report(["0003", "--output", named])).code, 0);
  assert.is(readFileSync(named, "utf8"), reportPage({ header: records[2]!, events: [] }));
});

test("--help prints the help; -o missing or empty, two ids, an environment with no run: input errors", async () => {
  assert.equal(await report(["--help"]), { code: 0, printed: `${REPORT_HELP}\n` });
  const out = join(dir, "x.html");
  assert.is((await report(["-i", "test"])).error, "report.ts: -o FILE.html is required");
  assert.is((await report(["-i", "test", "-o", ""])).error, "report.ts: -o FILE.html is required");
  assert.is((await report(["a", "b", "-o", out])).error, "report.ts: one run id at most, found a b");
  assert.is(
    (await report(["-i", "empty", "-o", out])).error,
    `report.ts: no run of inventory empty in the history (${dir})`,
  );
  assert.is(
    (await report(["-i", "test", "--check", "-o", out])).error,
    "report.ts: --check is not supported: report.ts writes a page from the run history, it runs nothing",
  );
});

test("without arguments given, the process's command line after the script: the page of the environment's last run", async () => {
  const page = join(dir, "argv.html");
  const { argv } = process;
  process.argv = [process.execPath, "playbooks/report.ts", "-i", "test", "-o", page];
  try {
    assert.is((await report()).code, 0);
  } finally {
    process.argv = argv;
  }
  assert.is(readFileSync(page, "utf8"), reportPage({ header: records[3]!, events: [] }));
});

test.run();
