// `--limit @failed`'s hosts from events: failed, unreachable and skipped (with why, the play when no message), each
// host once with its first reason, in the order found; the rerun command as typed.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { RerunHosts, rerunCommand, rerunReason } from "../../lib/report/rerun.ts";

type Status = "ok" | "changed" | "failed" | "skipped";
const task = (host: string, status: Status, message?: string): RunEvent => ({
  type: "task",
  play: "web",
  host,
  id: `kv:${host}`,
  status,
  startedAt: 0,
  durationMs: 0,
  ...(message ? { message } : {}),
});

test("a reason for failed, skipped and unreachable hosts only", () => {
  assert.equal(rerunReason(task("a", "failed", "boom")), { host: "a", why: "failed: kv:a" });
  assert.equal(rerunReason(task("a", "skipped", 'needs play "db"')), { host: "a", why: 'skipped: needs play "db"' });
  assert.equal(rerunReason(task("a", "skipped")), { host: "a", why: "skipped: web" });
  assert.equal(rerunReason({ type: "unreachable", host: "b", message: "refused" }), { host: "b", why: "unreachable" });
  assert.is(rerunReason(task("a", "ok")), undefined);
  assert.is(rerunReason(task("a", "changed")), undefined);
  assert.is(rerunReason({ type: "host-play", play: "web", host: "a", startedAt: 0, durationMs: 0 }), undefined);
});

test("each host once, its first reason, in the order found", () => {
  const rerun = new RerunHosts();
  for (const event of [
    task("c", "ok"),
    task("b", "skipped"),
    { type: "unreachable", host: "a", message: "refused" } as RunEvent,
    task("b", "failed"),
    task("a", "failed"),
  ])
    rerun.note(event);
  assert.equal(Object.entries(rerun.hosts), [
    ["b", "skipped: web"],
    ["a", "unreachable"],
  ]);
});

test("the rerun command: the playbook on the environment, --check when the run was one", () => {
  assert.is(rerunCommand("site", "lab", false), "bin/foobar-infra site -i lab --limit @failed");
  assert.is(
    rerunCommand("deploy", "production", true),
    "bin/foobar-infra deploy -i production --check --limit @failed",
  );
});

test.run();
