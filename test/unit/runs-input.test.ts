// `runs`' input over a scratch history of hand-written records: --help, an environment with no run, `show`'s origin
// line (no commit, a --limit), and each wrong word or count of ids refused as input naming it.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { RUNS_HELP, runsCommand } from "../../lib/cli/runs-command.ts";
import { InputError } from "../../lib/errors.ts";
import { writeRecord } from "../../lib/report/history-store.ts";
import type { RunHeader } from "../../lib/report/run-record.ts";
import { fakeInventory } from "./support/kv-host.ts";
import { scratchDir } from "./support/scratch.ts";

const dir = scratchDir("runs-input-");
const record: RunHeader = {
  type: "run",
  id: "20261205-100000.000-0001",
  playbook: "site",
  environment: "test",
  check: false,
  limit: "h1,!h2",
  user: "ops",
  controller: "ctl",
  startedAt: Date.UTC(2026, 11, 5, 10),
  durationMs: 1,
  exitCode: 0,
  hosts: {},
  rerun: {},
};
writeRecord(dir, record, `${JSON.stringify(record)}\n`, { runs: 10, days: 1e6 }, 0);
const spec = fakeInventory(["h1"]);
const inventory = { environments: { test: spec.environments.test!, empty: spec.environments.test! } };

/** What `runs ARGV` printed and returned, or the input error it threw. */
async function runs(argv: string[]): Promise<{ code?: number; printed: string; error?: string }> {
  let printed = "";
  const { log } = console;
  console.log = (...parts: unknown[]) => (printed += `${parts.join(" ")}\n`);
  process.env.FOOBAR_RUN_HISTORY_DIR = dir;
  try {
    return { code: await runsCommand(inventory, argv), printed };
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return { printed, error: error.message };
  } finally {
    console.log = log;
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
  }
}

test("--help prints the help; an environment with no run says where it looked", async () => {
  assert.equal(await runs(["-h"]), { code: 0, printed: `${RUNS_HELP}\n` });
  assert.equal(await runs(["-i", "empty"]), {
    code: 0,
    printed: `no run of inventory empty in the history (${dir})\n`,
  });
});

test("show: the origin line names the user, machine, commit (unknown without one) and the run's --limit", async () => {
  const { code, printed } = await runs(["show", "0001"]);
  assert.is(code, 0);
  assert.equal(printed.split("\n").slice(0, 2), [
    "run 20261205-100000.000-0001 (site on test, 2026-12-05 10:00 UTC, 1 ms, exit 0)",
    "by ops on ctl, commit unknown, --limit h1,!h2",
  ]);
});

test("an unknown word, show without one id, diff without two: input errors naming what to give", async () => {
  assert.is((await runs(["list"])).error, 'runs.ts: unknown command "list" (show, diff; none: list the runs)');
  assert.is((await runs(["show"])).error, "runs.ts show ID: give one run id");
  assert.is((await runs(["show", "0001", "0001"])).error, "runs.ts show ID: give one run id");
  assert.is((await runs(["diff", "0001"])).error, "runs.ts diff A B: give two run ids");
  assert.is((await runs(["diff", "0001", "0001", "0001"])).error, "runs.ts diff A B: give two run ids");
  assert.match(
    (await runs(["--check"])).error ?? "",
    /^runs\.ts: --check is not supported: runs\.ts reads the run history/,
  );
});

test.run();
