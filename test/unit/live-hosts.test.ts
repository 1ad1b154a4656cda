// The live lines fed events by hand: plays done of each host's total, its play and last task, why it stopped (the first
// reason kept: failed, a skipped play, unreachable), done; which events change a line; fitted to width and rows.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { LiveHosts } from "../../lib/report/live-hosts.ts";

type Status = "ok" | "changed" | "failed" | "skipped";
const task = (host: string, play: string, id: string, status: Status, message?: string): RunEvent => ({
  type: "task",
  play,
  host,
  id,
  status,
  startedAt: 0,
  durationMs: 0,
  ...(message ? { message } : {}),
});
const hostPlay = (host: string, play: string): RunEvent => ({
  type: "host-play",
  play,
  host,
  startedAt: 0,
  durationMs: 1,
});

test("each host's line through a run, and which events change one", () => {
  const live = new LiveHosts();
  const note = (event: RunEvent) => live.note(event);
  assert.is(
    note({
      type: "start",
      playbook: "site",
      environment: "lab",
      hosts: ["web-01", "db-1", "lb-01", "mon-01"],
      check: false,
      hostPlays: { "web-01": 2, "db-1": 2, "lb-01": 1, "mon-01": 2 },
    }),
    true,
  );
  assert.equal(live.lines(80, 10), [
    "  web-01  0/2  connecting",
    "  db-1    0/2  connecting",
    "  lb-01   0/1  connecting",
    "  mon-01  0/2  connecting",
  ]);
  assert.is(note(hostPlay("web-01", "gather facts")), false, "gather facts is no play of the playbook");
  assert.is(note(task("web-01", "web", "kv:a", "ok")), true);
  assert.is(note(task("web-01", "web", "kv:b", "changed")), true);
  assert.is(note(hostPlay("web-01", "web")), true);
  note(task("db-1", "db", "kv:x", "failed"));
  note(task("db-1", "db", "kv:y", "failed"));
  note(task("lb-01", "lb", "play", "skipped", 'needs play "db"'));
  assert.is(note({ type: "unreachable", host: "lb-01", message: "refused" }), true);
  note({ type: "unreachable", host: "mon-01", message: "refused" });
  note(task("mon-01", "mon", "play", "skipped"));
  assert.is(note({ type: "play", play: "web", hosts: ["web-01"] }), false);
  assert.is(note({ type: "waiting", host: "web-01", message: "lock" }), false);
  assert.equal(live.lines(80, 10), [
    "  web-01  1/2  web · kv:b (2 tasks)",
    "  db-1    0/2  failed: kv:x (2 tasks)",
    '  lb-01   1/1  skipped: needs play "db" (1 task)',
    "  mon-01  1/2  unreachable (1 task)",
  ]);
  note(task("web-01", "app", "kv:c", "ok"));
  note(hostPlay("web-01", "app"));
  assert.equal(live.lines(80, 10)[0], "  web-01  2/2  done (3 tasks)");
});

test("a host the start did not name gets a line with no total; a skipped task that is no play counts no play", () => {
  const live = new LiveHosts();
  live.note(task("extra", "p", "kv:a", "skipped", "tag"));
  assert.equal(live.lines(80, 10), ["  extra  0/?  p · kv:a (1 task)"]);
  live.note(hostPlay("other", "p"));
  assert.equal(live.lines(80, 10)[1], "  other  1/?  connecting");
});

test("fitted: a line cut to the width with an ellipsis, the hosts past the rows counted in the last line", () => {
  const live = new LiveHosts();
  live.note({ type: "start", playbook: "s", environment: "e", hosts: ["a", "b", "c", "d"], check: false });
  assert.equal(live.lines(14, 3), ["  a  0/?  con…", "  b  0/?  con…", "  … and 2 mor…"]);
  assert.equal(
    live.lines(80, 4),
    ["  a  0/?  connecting", "  b  0/?  connecting", "  c  0/?  connecting", "  d  0/?  connecting"],
    "exactly as many hosts as rows: all shown, none summed up",
  );
  assert.equal(live.lines(19, 4)[0], "  a  0/?  connecti…");
  assert.equal(live.lines(20, 4)[0], "  a  0/?  connecting", "a line as wide as the terminal is whole");
  assert.equal(live.lines(1, 4)[0], "…");
  assert.equal(live.lines(0, 4)[0], "…");
});

test.run();
