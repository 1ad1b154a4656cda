// The report page from a recorded run: a timeline row per host with every play and timed task placed and sized by its
// recorded start and duration (as a share of the run), idle gaps drawn, changed resources with their diffs, failures,
// the slowest tasks; values escaped and masked, and nothing the page would fetch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { registerSecret } from "../../lib/mask.ts";
import { reportPage } from "../../lib/report/report-page.ts";
import type { RecordedEvent, RunHeader } from "../../lib/report/run-record.ts";

const T = 1_700_000_000_000;
const SECRET = "report-secret-5Xq";
registerSecret(SECRET);
const counts = (changed: number, failed = 0, unreachable = 0) => ({ ok: 1, changed, failed, unreachable, skipped: 0 });
const header: RunHeader = {
  type: "run",
  id: "20231114-221320.000-abcd",
  playbook: "site",
  environment: "lab",
  check: false,
  commit: "c0ffee",
  user: "ops",
  controller: "ctl",
  startedAt: T,
  durationMs: 10_000,
  exitCode: 3,
  hosts: { a: counts(1), b: counts(0, 1), c: counts(0, 0, 1) },
  rerun: { b: "failed: file:/etc/b", c: "unreachable" },
};
const events: RunEvent[] = [
  { type: "start", playbook: "site", environment: "lab", hosts: ["a", "b", "c"], check: false },
  { type: "host-play", play: "gather facts", host: "a", startedAt: T, durationMs: 1000 },
  { type: "host-play", play: "gather facts", host: "b", startedAt: T, durationMs: 2000 },
  { type: "host-play", play: "gather facts", host: "c", startedAt: T, durationMs: 500 },
  { type: "unreachable", host: "c", message: "connect ECONNREFUSED" },
  {
    type: "task",
    play: "web <tier>",
    host: "a",
    id: "file:/etc/a",
    status: "changed",
    changes: [{ summary: "content", diff: `--- before\n+++ after\n-password=${SECRET}\n+<script>x</script>` }],
    startedAt: T + 1000,
    durationMs: 3000,
  },
  {
    type: "task",
    play: "web <tier>",
    host: "a",
    id: "file:/srv/bundle.js",
    status: "changed",
    changes: [{ summary: "created", diff: Array.from({ length: 250 }, (_, index) => `+line ${index}`).join("\n") }],
    startedAt: T + 1000,
    durationMs: 0,
  },
  { type: "host-play", play: "web <tier>", host: "a", startedAt: T + 1000, durationMs: 4000 },
  {
    type: "task",
    play: "db",
    host: "b",
    id: "file:/etc/b",
    status: "failed",
    message: `no: ${SECRET}`,
    startedAt: T + 6000,
    durationMs: 4000,
  },
  { type: "host-play", play: "db", host: "b", startedAt: T + 6000, durationMs: 4000 },
  {
    type: "recap",
    hosts: header.hosts,
    durationMs: 10_000,
    exitCode: 3,
    check: false,
  },
];
const page = reportPage({ header, events: events.map((event) => ({ ...event, time: "" }) as RecordedEvent) });

/** Each bar of one host's row: kind, classes, left and width (% of the run), and its recorded times. */
function bars(host: string) {
  const row = page.slice(page.indexOf(`<div class="row" data-host="${host}">`)).split('<div class="row"')[1]!;
  return [
    ...row.matchAll(
      /class="bar ([a-z ]+)" data-kind="(\w+)" data-started-at="(\d+)" data-duration-ms="(\d+)" style="left:([\d.]+)%;width:([\d.]+)%"/g,
    ),
  ].map(([, classes, kind, startedAt, durationMs, left, width]) => ({
    kind,
    classes,
    at: Number(startedAt) - T,
    durationMs: Number(durationMs),
    left: Number(left),
    width: Number(width),
  }));
}

test("a timeline row per host, each bar placed and sized by its recorded start and duration (10 s run: 1 s is 10%)", () => {
  assert.equal(
    [...page.matchAll(/<div class="row" data-host="(\w+)">/g)].map((match) => match[1]),
    ["a", "b", "c"],
  );
  for (const host of ["a", "b", "c"])
    for (const bar of bars(host)) {
      assert.is(bar.left, bar.at / 100, `${host} ${bar.kind} starts at ${bar.at} ms`);
      assert.is(bar.width, bar.durationMs / 100, `${host} ${bar.kind} lasts ${bar.durationMs} ms`);
    }
  assert.equal(
    bars("a").map((bar) => `${bar.kind} ${bar.classes} ${bar.at}+${bar.durationMs}`),
    ["play ok 0+1000", "play changed 1000+4000", "task changed 1000+3000"],
  );
  assert.equal(
    bars("b").map((bar) => `${bar.kind} ${bar.classes} ${bar.at}+${bar.durationMs}`),
    ["idle idle 2000+4000", "play ok 0+2000", "play failed 6000+4000", "task failed 6000+4000"],
    "b waited 4 s between its plays",
  );
  assert.equal(
    bars("c").map((bar) => `${bar.kind} ${bar.classes}`),
    ["play failed"],
    "an unreachable host's login failed",
  );
});

test("the recap, the changed resource with its diff, the failure, the slowest tasks; escaped and masked", () => {
  assert.ok(page.includes('<span class="del">-password=********</span>'), "the diff's removed line, masked");
  assert.ok(page.includes('<span class="add">+&lt;script&gt;x&lt;/script&gt;</span>'), "markup in a diff is text");
  assert.ok(page.includes("web &lt;tier&gt;"), "a play's name is escaped");
  assert.ok(
    page.includes(
      '<span class="add">+line 199</span>\n… 50 more lines (bin/foobar-infra runs show ID prints the whole diff)</pre>',
    ),
    "a long diff: its first 200 lines, then how many more",
  );
  assert.not.ok(page.includes("+line 200"));
  assert.ok(page.includes('<b>b</b> file:/etc/b <small>[db]</small>: <pre class="diff">no: ********</pre>'));
  assert.ok(page.includes("<b>c</b> unreachable: connect ECONNREFUSED"));
  assert.ok(page.includes("bin/foobar-infra site -i lab --limit @failed"));
  assert.match(page, /<tr><td class="n">4\.0 s<\/td><td>b<\/td><td>file:\/etc\/b<\/td><td>db<\/td><\/tr>/);
  assert.not.ok(page.includes(SECRET), "the secret's value is on the page");
  assert.not.ok(/<script|\b(src|href)=|url\(|@import/i.test(page), "the page fetches nothing and runs nothing");
});

test.run();
