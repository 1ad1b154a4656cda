// --profile from a run's events: the slowest applied tasks (a play's handlers once), each host's plays with busy and
// idle time, the last host to finish first; the task and host-play events the runner emits carry those times.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { profileLines, profileReporter } from "../../lib/report/profile.ts";
import { fakeInventory, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const T = 1_000_000;
const events: RunEvent[] = [
  { type: "start", playbook: "site", environment: "lab", hosts: ["a", "b"], check: false },
  { type: "host-play", play: "gather facts", host: "a", startedAt: T, durationMs: 1000 },
  { type: "host-play", play: "gather facts", host: "b", startedAt: T, durationMs: 2000 },
  {
    type: "task",
    play: "one",
    host: "a",
    id: "package:nginx",
    status: "changed",
    startedAt: T + 2000,
    durationMs: 30_000,
  },
  { type: "task", play: "one", host: "a", id: "file:/etc/x", status: "ok", startedAt: T + 2000, durationMs: 0 },
  {
    type: "task",
    play: "one",
    host: "b",
    id: "reload nginx",
    status: "changed",
    handler: true,
    startedAt: T + 3000,
    durationMs: 500,
  },
  {
    type: "task",
    play: "one",
    host: "b",
    id: "restart app",
    status: "changed",
    handler: true,
    startedAt: T + 3000,
    durationMs: 500,
  },
  { type: "host-play", play: "one", host: "a", startedAt: T + 2000, durationMs: 31_000 },
  { type: "host-play", play: "one", host: "b", startedAt: T + 2000, durationMs: 2000 },
  { type: "host-play", play: "two", host: "b", startedAt: T + 33_000, durationMs: 4000 },
];

test("profile: slowest applied tasks, handlers of one exec once, hosts last-done first with busy and idle", () => {
  const lines = profileLines(events);
  assert.is(lines[0], "PROFILE");
  assert.match(lines[2]!, /^\s+30\.0 s\s+a\s+package:nginx\s+\[one\]$/);
  assert.match(lines[3]!, /^\s+0\.5 s\s+b\s+handlers from reload nginx\s+\[one\]$/);
  assert.not.ok(
    lines.some((line) => line.includes("restart app")),
    "the shared handler exec is listed once",
  );
  assert.not.ok(
    lines.some((line) => line.includes("file:/etc/x")),
    "planned tasks cost no exec",
  );
  const hostLines = lines.filter((line) => /^\s+[ab]\s+done at/.test(line));
  assert.match(
    hostLines[0]!,
    /^\s+b\s+done at 37\.0 s, busy 8\.0 s, idle 29\.0 s$/,
    "b waited 29 s for a's first play",
  );
  assert.match(hostLines[1]!, /^\s+a\s+done at 33\.0 s, busy 32\.0 s, idle 1\.0 s$/);
  assert.ok(lines.includes("      gather facts 0 ms +2.0 s | one 2.0 s +2.0 s | two 33.0 s +4.0 s"));
});

test("profile: a duration under 0.1 s is shown in ms, not as 0.0 s", () => {
  const quick = events.map((event) =>
    event.type === "task" && event.id === "package:nginx" ? { ...event, durationMs: 36 } : event,
  );
  assert.ok(
    profileLines(quick).some((line) => /^\s+36 ms\s+a\s+package:nginx\s+\[one\]$/.test(line)),
    profileLines(quick).join("\n"),
  );
});

const WHOLE = [
  "PROFILE",
  "  slowest tasks (the exec that applied each, with the re-probe of what follows):",
  "    30.0 s  a          package:nginx  [one]",
  "     0.5 s  b          handlers from reload nginx  [one]",
  "  hosts, last to finish first (busy: inside its plays; idle: waiting between them for other hosts):",
  "  b          done at 37.0 s, busy 8.0 s, idle 29.0 s",
  "      gather facts 0 ms +2.0 s | one 2.0 s +2.0 s | two 33.0 s +4.0 s",
  "  a          done at 33.0 s, busy 32.0 s, idle 1.0 s",
  "      gather facts 0 ms +1.0 s | one 2.0 s +31.0 s",
];

test("profile: the whole report, columns aligned, whatever order the tasks and host plays came in", () => {
  assert.equal(profileLines(events), WHOLE);
  const tasks = events.filter((event) => event.type === "task");
  const hostPlays = events.filter((event) => event.type === "host-play");
  const shuffled = [events[0]!, ...hostPlays.reverse(), tasks[1]!, tasks[2]!, tasks[3]!, tasks[0]!];
  assert.equal(profileLines(shuffled), WHOLE);
});

test("profile: the slowest N tasks only; nothing applied says so; no start or no host play is no report", () => {
  const many: RunEvent[] = [
    ...events.filter((event) => event.type !== "task"),
    ...[1, 2, 3, 4, 5].map(
      (n): RunEvent => ({
        type: "task",
        play: "one",
        host: "a",
        id: `t${n}`,
        status: "changed",
        startedAt: T + n,
        durationMs: n * 1000,
      }),
    ),
  ];
  assert.equal(
    profileLines(many, 2).slice(2, 4),
    ["     5.0 s  a          t5  [one]", "     4.0 s  a          t4  [one]"],
    "the 2 slowest, longest first",
  );
  assert.ok(profileLines(many, 2)[4]!.startsWith("  hosts,"));
  assert.is(profileLines(many).filter((line) => / t\d {2}\[one\]$/.test(line)).length, 5, "10 by default");
  const untimed = events.map((event) =>
    event.type === "task" ? ({ ...event, durationMs: event.status === "ok" ? undefined : 0 } as RunEvent) : event,
  );
  assert.equal(profileLines(untimed).slice(1, 4), [WHOLE[1], "    none: nothing was applied", WHOLE[4]]);
  assert.equal(profileLines(events.slice(1)), [], "no start event");
  assert.equal(profileLines(events.filter((event) => event.type !== "host-play")), [], "no host-play event");
});

test("profileReporter: prints the report through write when the run closes, from the events it was sent", () => {
  const written: string[] = [];
  const reporter = profileReporter((line) => written.push(line));
  for (const event of events) reporter.emit(event);
  reporter.emit({ type: "play", play: "one", hosts: ["a", "b"] });
  assert.equal(written, [], "nothing before the end");
  reporter.close();
  assert.equal(written, WHOLE);
});

test("the runner's events carry each task's and host's start and duration", async () => {
  const run = await runFake(
    definePlaybook("thirty", [{ name: "all", hosts: "all_fake", roles: [thirtyKeys] }]),
    fakeInventory(["h1"]),
    newHosts(["h1"]),
  );
  const hostPlays = run.events
    .filter((event) => event.type === "host-play")
    .map((event) => (event as { play: string }).play);
  assert.equal(hostPlays, ["gather facts", "all"]);
  const tasks = run.events.filter((event): event is Extract<RunEvent, { type: "task" }> => event.type === "task");
  assert.ok(
    tasks.length === 30 &&
      tasks.every((task) => typeof task.startedAt === "number" && typeof task.durationMs === "number"),
  );
  assert.is(profileLines(run.events)[0], "PROFILE");
});

test.run();
