// `runs diff` from two hand-built records: per host each resource whose outcome differs (changed and what, failed or
// skipped and why, a handler named as one, not run), reached or not, in one run only; the hosts that did the same.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Counts, RunEvent } from "../../lib/report/events.ts";
import { runDiffLines, runTitle } from "../../lib/report/run-diff.ts";
import type { RecordedEvent, RunHeader, RunRecord } from "../../lib/report/run-record.ts";
import { runHeader } from "./support/run-header.ts";

const none: Counts = { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 };
const header = (id: string, hosts: string[], more: Partial<RunHeader> = {}): RunHeader =>
  runHeader(id, {
    startedAt: Date.UTC(2026, 11, 5, 9, 5, 59),
    durationMs: 1500,
    exitCode: 1,
    hosts: Object.fromEntries(hosts.map((host) => [host, none])),
    ...more,
  });
const record = (head: RunHeader, events: RunEvent[]): RunRecord => ({
  header: head,
  events: events.map((event) => ({ ...event, time: "" }) as RecordedEvent),
});
type Status = "ok" | "changed" | "failed" | "skipped";
const task = (host: string, id: string, status: Status, more: Partial<Extract<RunEvent, { type: "task" }>> = {}) =>
  ({ type: "task", play: "p", host, id, status, startedAt: 0, durationMs: 0, ...more }) as RunEvent;
const unreachable = (host: string): RunEvent => ({ type: "unreachable", host, message: "connect ECONNREFUSED" });

test("a run's title: id, playbook (--check), inventory, start to the minute in UTC, duration, exit code", () => {
  assert.is(runTitle(header("X", [])), "X (site on lab, 2026-12-05 09:05 UTC, 1.5 s, exit 1)");
  assert.is(
    runTitle(header("Y", [], { check: true, exitCode: 2, durationMs: 20 })),
    "Y (site --check on lab, 2026-12-05 09:05 UTC, 20 ms, exit 2)",
  );
});

test("per host, what differs from A to B; a host unreachable in one, in one run only; the same ones named", () => {
  const a = record(header("A1", ["a", "b", "c", "d", "e"]), [
    task("a", "kv:x", "changed", { changes: [{ summary: "x (unset) -> 1" }, { summary: "mode 0644" }] }),
    task("a", "reload app", "changed", { handler: true }),
    task("a", "kv:z", "failed", { message: "boom" }),
    task("a", "kv:w", "skipped", { message: 'needs play "base"' }),
    task("a", "kv:same", "ok"),
    unreachable("b"),
    unreachable("c"),
    task("d", "kv:x", "ok"),
    task("e", "kv:x", "ok"),
  ]);
  const b = record(header("B2", ["a", "b", "c", "d", "f"], { exitCode: 0 }), [
    task("a", "kv:x", "ok"),
    task("a", "kv:z", "failed"),
    task("a", "kv:w", "skipped"),
    task("a", "kv:new", "changed"),
    task("a", "kv:same", "ok"),
    unreachable("b"),
    task("c", "kv:x", "ok"),
    task("d", "kv:x", "ok"),
    task("f", "kv:x", "ok"),
    task("g", "kv:x", "ok", { play: "q" }),
  ]);
  assert.equal(runDiffLines(a, b), [
    `A ${runTitle(a.header)}`,
    `B ${runTitle(b.header)}`,
    "  a",
    "    p › kv:x: changed: x (unset) -> 1, mode 0644 → ok",
    "    p › handler reload app: changed:  → (not run)",
    "    p › kv:z: failed: boom → failed: ",
    `    p › kv:w: skipped: needs play "base" → skipped: `,
    "    p › kv:new: (not run) → changed: ",
    "  c",
    "    unreachable → reached",
    "  e: only in A",
    "  f: only in B",
    "  g: only in B",
    "  the same in both: b, d",
  ]);
  assert.equal(runDiffLines(b, a).slice(8, 10), ["  c", "    reached → unreachable"]);
});

test("no host did the same in both: said so", () => {
  const a = record(header("A1", ["a"]), [task("a", "kv:x", "ok")]);
  const b = record(header("B2", ["a"]), [task("a", "kv:x", "changed", { changes: [{ summary: "x" }] })]);
  assert.equal(runDiffLines(a, b).slice(2), ["  a", "    p › kv:x: ok → changed: x", "  no host did the same in both"]);
});

test.run();
