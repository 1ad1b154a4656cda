// `runs`' table from recorded headers: columns padded to the widest cell (the last one not), a run's flags after its
// playbook, and per run the hosts with something to say (unreachable, failed, changed, skipped) and a count of the rest.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Counts } from "../../lib/report/events.ts";
import type { RunHeader } from "../../lib/report/run-record.ts";
import { runsTable } from "../../lib/report/runs-table.ts";
import { runHeader } from "./support/run-header.ts";

const counts = (more: Partial<Counts> = {}): Counts => ({
  ok: 3,
  changed: 0,
  failed: 0,
  unreachable: 0,
  skipped: 0,
  ...more,
});
const header = (id: string, more: Partial<RunHeader>): RunHeader =>
  runHeader(id, { startedAt: Date.UTC(2026, 11, 5, 14, 12, 59, 999), durationMs: 61_000, ...more });

test("a row per run: id, start to the minute (UTC), user@machine, playbook with --check and -l, exit, time, hosts", () => {
  const table = runsTable([
    header("20261205-141259.999-aaaa", {
      hosts: {
        "web-01": counts({ changed: 3 }),
        "db-01": counts({ failed: 1, changed: 2, skipped: 4 }),
        "lb-01": counts({ unreachable: 1, failed: 1 }),
        "mon-01": counts({ skipped: 2 }),
        "web-02": counts(),
        "db-02": counts(),
      },
      exitCode: 3,
    }),
    header("20261206-000000.000-bbbb", {
      startedAt: Date.UTC(2026, 11, 6),
      user: "root",
      controller: "bastion",
      check: true,
      limit: "web-01,!db-*",
      durationMs: 45,
      exitCode: 2,
      hosts: { "web-01": counts() },
    }),
    header("20261207-000000.000-cccc", { hosts: {} }),
  ]);
  assert.equal(table, [
    "ID                        STARTED (UTC)     BY            PLAYBOOK                      EXIT  TIME    HOSTS",
    "20261205-141259.999-aaaa  2026-12-05 14:12  ops@ctl       site                          3     61.0 s  web-01 changed 3, db-01 failed 1 changed 2, lb-01 unreachable, mon-01 skipped 2, 2 hosts unchanged",
    "20261206-000000.000-bbbb  2026-12-06 00:00  root@bastion  site --check -l web-01,!db-*  2     45 ms   1 host unchanged",
    "20261207-000000.000-cccc  2026-12-05 14:12  ops@ctl       site                          0     61.0 s",
  ]);
});

test("with no runs, the titles alone", () => {
  assert.equal(runsTable([]), ["ID  STARTED (UTC)  BY  PLAYBOOK  EXIT  TIME  HOSTS"]);
});

test.run();
