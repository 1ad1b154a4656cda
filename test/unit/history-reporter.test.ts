// The history reporter fed events by hand: the record written at close (header from the start and recap events, the
// clock, the origin and --limit; every event but the scripts sent), none for a run that never started or ended, the
// bound applied at the injected time, and a warning, not a throw, when the record cannot be written.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { historyReporter, type HistoryOptions } from "../../lib/report/history-reporter.ts";
import { listHeaders, readRecord } from "../../lib/report/history-store.ts";
import { scratchDir } from "./support/scratch.ts";

const T = Date.UTC(2026, 11, 5, 14, 0, 0, 250);
const counts = { ok: 1, changed: 0, failed: 1, unreachable: 0, skipped: 0 };
const RUN: RunEvent[] = [
  { type: "start", playbook: "site", environment: "lab", hosts: ["a", "b"], check: true },
  { type: "command", host: "a", script: "echo big script" },
  { type: "task", play: "p", host: "a", id: "kv:x", status: "failed", message: "boom", startedAt: T, durationMs: 5 },
  { type: "unreachable", host: "b", message: "refused" },
  {
    type: "recap",
    hosts: { a: counts, b: { ...counts, failed: 0, unreachable: 1 } },
    durationMs: 42,
    exitCode: 3,
    check: true,
  },
];

function reporter(dir: string, more: Partial<HistoryOptions> = {}) {
  const warnings: string[] = [];
  const history = historyReporter({
    dir,
    bound: () => ({ runs: 5, days: 1 }),
    origin: () => ({ user: "ops", controller: "ctl", commit: "c0ffee" }),
    warn: (message) => warnings.push(message),
    now: () => T,
    ...more,
  });
  return { history, warnings };
}

test("at close, one record: the header from start, recap, origin, limit and the start's time; events but scripts", () => {
  const dir = scratchDir("history-reporter-");
  const { history, warnings } = reporter(dir, { limit: "a,b" });
  for (const event of RUN) history.emit(event);
  assert.equal(listHeaders(dir), [], "nothing written before the end");
  history.close();
  const [header, ...others] = listHeaders(dir);
  assert.equal(others, []);
  assert.match(header!.id, /^20261205-140000\.250-[0-9a-f]{4}$/);
  assert.equal(header, {
    type: "run",
    id: header!.id,
    playbook: "site",
    environment: "lab",
    check: true,
    limit: "a,b",
    user: "ops",
    controller: "ctl",
    commit: "c0ffee",
    startedAt: T,
    durationMs: 42,
    exitCode: 3,
    hosts: { a: counts, b: { ...counts, failed: 0, unreachable: 1 } },
    rerun: { a: "failed: kv:x", b: "unreachable" },
  });
  assert.equal(
    readRecord(dir, header!.id).events.map(({ time, ...event }) => event),
    RUN.filter((event) => event.type !== "command"),
  );
  assert.equal(warnings, []);
});

test("no --limit: no limit key; the start time is the clock's when the start event came", () => {
  const dir = scratchDir("history-reporter-");
  let now = T;
  const { history } = reporter(dir, { now: () => now++ });
  for (const event of RUN) history.emit(event);
  history.close();
  const [header] = listHeaders(dir);
  assert.not.ok("limit" in header!);
  assert.is(header!.startedAt, T);
});

test("a run with no start or no recap (it stopped before either) is not recorded", () => {
  const dir = scratchDir("history-reporter-");
  for (const events of [RUN.slice(1), RUN.slice(0, -1)]) {
    const { history } = reporter(dir);
    for (const event of events) history.emit(event);
    history.close();
  }
  assert.equal(readdirSync(dir), []);
});

test("the bound is applied at the clock's now; a record that cannot be written is a warning naming the directory", () => {
  const dir = scratchDir("history-reporter-");
  const old = reporter(dir, { now: () => T - 3 * 86_400_000 });
  for (const event of RUN) old.history.emit(event);
  old.history.close();
  const fresh = reporter(dir);
  for (const event of RUN) fresh.history.emit(event);
  fresh.history.close();
  assert.equal(
    listHeaders(dir).map((header) => header.startedAt),
    [T],
    "the 3-day-old record is gone (bound: 1 day)",
  );
  const file = join(dir, "file");
  writeFileSync(file, "");
  const broken = reporter(file);
  for (const event of RUN) broken.history.emit(event);
  broken.history.close();
  assert.is(broken.warnings.length, 1);
  assert.match(broken.warnings[0]!, new RegExp(`^the run was not recorded in ${file}: ENOTDIR`));
});

test.run();
