// The report page from a recorded run: a timeline row per host with every play and timed task placed and sized by its
// recorded start and duration (as a share of the run), idle gaps drawn, changed resources with their diffs, failures,
// the slowest tasks; values escaped and masked, and nothing the page would fetch.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { registerSecret } from "../../lib/mask.ts";
import { reportPage } from "../../lib/report/report-page.ts";
import { REPORT_STYLE } from "../../lib/report/report-style.ts";
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

/** The page's section `id`, from its opening tag to its closing one. */
function section(html: string, id: string): string {
  const start = html.indexOf(`<section id="${id}">`);
  return html.slice(start, html.indexOf("</section>", start) + "</section>".length);
}

const cells = (values: number[], classes: string[] = []) =>
  values.map((value, index) => `<td class="n${classes[index] ? ` ${classes[index]}` : ""}">${value}</td>`).join("");

test("the head, the recap table with each count coloured, the rerun line; failures and slowest tasks, whole", () => {
  assert.ok(
    page.startsWith(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>site on lab · 20231114-221320.000-abcd</title>
<style>${REPORT_STYLE}</style></head>
<body>
<h1>site on lab</h1>
<p class="meta">run 20231114-221320.000-abcd (site on lab, 2023-11-14 22:13 UTC, 10.0 s, exit 3)<br>by ops on ctl · commit c0ffee</p>
<section id="recap">`),
  );
  assert.ok(page.endsWith("</section>\n</body></html>\n"));
  assert.is(
    section(page, "recap"),
    `<section id="recap"><h2>Recap</h2>
<table><thead><tr><th>host</th><th>ok</th><th>changed</th><th>failed</th><th>unreachable</th><th>skipped</th></tr></thead>
<tbody><tr><td>a</td>${cells([1, 1, 0, 0, 0], ["", "changed-text"])}</tr>
<tr><td>b</td>${cells([1, 0, 1, 0, 0], ["", "", "failed-text"])}</tr>
<tr><td>c</td>${cells([1, 0, 0, 1, 0], ["", "", "", "failed-text"])}</tr></tbody></table>
<p>10.00 s, exit 3</p>
<p>Rerun what did not complete: <code>bin/foobar-infra site -i lab --limit @failed</code> (b: failed: file:/etc/b; c: unreachable)</p>
</section>`,
  );
  assert.is(
    section(page, "failures"),
    `<section id="failures"><h2>Failures (2)</h2>
<ul><li><b>c</b> unreachable: connect ECONNREFUSED</li>
<li><b>b</b> file:/etc/b <small>[db]</small>: <pre class="diff">no: ********</pre></li></ul></section>`,
  );
  assert.is(
    section(page, "slowest"),
    `<section id="slowest"><h2>Slowest tasks</h2>
<table><thead><tr><th>time</th><th>host</th><th>task (the exec that applied it)</th><th>play</th></tr></thead><tbody><tr><td class="n">4.0 s</td><td>b</td><td>file:/etc/b</td><td>db</td></tr>
<tr><td class="n">3.0 s</td><td>a</td><td>file:/etc/a</td><td>web &lt;tier&gt;</td></tr></tbody></table></section>`,
  );
});

test("the changes: each changed resource with its summaries and diffs, a long diff cut at 200 lines", () => {
  const bundle = Array.from({ length: 200 }, (_, index) => `<span class="add">+line ${index}</span>`).join("\n");
  assert.is(
    section(page, "changes"),
    `<section id="changes"><h2>Changed (2)</h2>
<div class="change" data-host="a" data-id="file:/etc/a">
<h3>a · file:/etc/a <small>[web &lt;tier&gt;]</small></h3>
<div>content</div>
<pre class="diff">--- before
+++ after
<span class="del">-password=********</span>
<span class="add">+&lt;script&gt;x&lt;/script&gt;</span></pre></div>
<div class="change" data-host="a" data-id="file:/srv/bundle.js">
<h3>a · file:/srv/bundle.js <small>[web &lt;tier&gt;]</small></h3>
<div>created</div>
<pre class="diff">${bundle}
… 50 more lines (bin/foobar-infra runs show ID prints the whole diff)</pre></div>
</section>`,
  );
});

test("the timeline's legend, axis ticks at quarters of the run, and each host's done, busy and idle", () => {
  const timeline = section(page, "timeline");
  assert.ok(
    timeline.startsWith(`<section id="timeline"><h2>Timeline</h2>
<p class="legend"><i class="ok"></i>ok <i class="changed"></i>changed <i class="failed"></i>failed <i class="idle"></i>idle (waiting for other hosts) — upper lane: plays, lower lane: tasks that took time</p>
<div class="axis"><div class="who"></div><div class="ticks"><span style="left:0.0000%">0 ms</span><span style="left:25.0000%">2.5 s</span><span style="left:50.0000%">5.0 s</span><span style="left:75.0000%">7.5 s</span><span style="left:100.0000%">10.0 s</span></div></div>
<div class="row" data-host="a">`),
  );
  assert.equal(
    [...timeline.matchAll(/<div class="who"><b>(\w+)<\/b><small>([^<]*)<\/small><\/div>/g)].map((match) =>
      match.slice(1),
    ),
    [
      ["a", "done at 5.0 s · busy 5.0 s · idle 0 ms"],
      ["b", "done at 10.0 s · busy 6.0 s · idle 4.0 s"],
      ["c", "done at 0.5 s · busy 0.5 s · idle 0 ms"],
    ],
  );
  assert.ok(
    timeline.includes(
      '<div class="bar failed" data-kind="task" data-started-at="1700000006000" data-duration-ms="4000" style="left:60.0000%;width:40.0000%" title="file:/etc/b 4.0 s"><span>file:/etc/b 4.0 s</span></div></div></div>\n</div>',
    ),
    "a task bar: its times, place, size and title",
  );
  assert.ok(timeline.includes('<div class="lane tasks"></div></div>\n</div>\n</section>'), "c timed no task");
});

test("a quiet --check: would change without diffs, a handler, no failure, nothing timed, no rerun, a limit, no commit", () => {
  const quiet: RunHeader = {
    ...header,
    check: true,
    limit: "a",
    commit: undefined,
    exitCode: 2,
    rerun: {},
    hosts: { a: counts(2) },
  };
  const quietEvents: RunEvent[] = [
    { type: "host-play", play: `a&b "q" 'x'`, host: "a", startedAt: T, durationMs: 0 },
    {
      type: "task",
      play: "p",
      host: "a",
      id: "kv:k",
      status: "changed",
      changes: [{ summary: "k" }],
      startedAt: T,
      durationMs: 0,
    },
    { type: "task", play: "p", host: "a", id: "reload", status: "changed", handler: true, startedAt: T, durationMs: 0 },
    { type: "task", play: "p", host: "a", id: "kv:ok", status: "ok", startedAt: T, durationMs: 0 },
  ];
  const html = reportPage({
    header: quiet,
    events: quietEvents.map((event) => ({ ...event, time: "" }) as RecordedEvent),
  });
  assert.ok(html.includes("<h1>site --check on lab</h1>"));
  assert.ok(html.includes("<br>by ops on ctl · commit unknown · --limit a</p>"));
  assert.ok(html.includes("<p>10.00 s (check mode), exit 2</p>\n\n</section>"), "no rerun line");
  assert.is(
    section(html, "changes"),
    `<section id="changes"><h2>Would change (2)</h2>
<div class="change" data-host="a" data-id="kv:k">
<h3>a · kv:k <small>[p]</small></h3>
<div>k</div>
</div>
<div class="change" data-host="a" data-id="reload">
<h3>a · handler reload <small>[p]</small></h3>
<div></div>
</div>
<p>File diffs are recorded when the run is given <code>--diff</code>.</p></section>`,
  );
  assert.is(section(html, "failures"), `<section id="failures"><h2>Failures (0)</h2>\n<p>None.</p></section>`);
  assert.is(
    section(html, "slowest"),
    `<section id="slowest"><h2>Slowest tasks</h2>\n<p>Nothing was applied.</p></section>`,
  );
  assert.ok(
    section(html, "timeline").includes(
      `style="left:0%;width:0%" title="a&amp;b &quot;q&quot; &#39;x&#39; 0 ms"><span>a&amp;b &quot;q&quot; &#39;x&#39; 0 ms</span></div>`,
    ),
    "a run of no length: bars at 0%; quotes and & escaped",
  );
});

test("nothing changed, no host reached a play, a diff of exactly 200 lines shown whole, a handler's slow exec", () => {
  const lines = Array.from({ length: 200 }, (_, index) => `-gone ${index}`).join("\n");
  const html = reportPage({
    header: { ...header, hosts: {} },
    events: [
      { type: "task", play: "p", host: "a", id: "kv:x", status: "failed", startedAt: T, durationMs: 10 },
      {
        type: "task",
        play: "p",
        host: "a",
        id: "restart",
        status: "ok",
        handler: true,
        startedAt: T,
        durationMs: 2000,
      },
    ].map((event) => ({ ...event, time: "" }) as RecordedEvent),
  });
  assert.is(
    section(html, "timeline"),
    `<section id="timeline"><h2>Timeline</h2><p>No host got as far as a play.</p></section>`,
  );
  assert.is(
    section(html, "changes"),
    `<section id="changes"><h2>Changed (0)</h2>\n<p>Nothing changed.</p>\n</section>`,
  );
  assert.ok(
    html.includes('<li><b>a</b> kv:x <small>[p]</small>: <pre class="diff"></pre></li>'),
    "a failure without message",
  );
  assert.ok(
    html.includes(
      '<tr><td class="n">2.0 s</td><td>a</td><td>handlers from restart</td><td>p</td></tr>\n<tr><td class="n">10 ms</td>',
    ),
  );
  const whole = reportPage({
    header,
    events: [
      {
        type: "task",
        play: "p",
        host: "a",
        id: "f",
        status: "changed",
        changes: [{ summary: "s", diff: lines }],
        startedAt: T,
        durationMs: 0,
      },
    ].map((event) => ({ ...event, time: "" }) as RecordedEvent),
  });
  assert.ok(whole.includes('<span class="del">-gone 199</span></pre></div>'), "200 lines: no more to count");
});

/** A timeline bar as the page writes it: kind, class, start (ms after T), duration, place and size (%), its label. */
const bar = (kind: string, cls: string, at: number, ms: number, left: string, width: string, label: string) =>
  `<div class="bar ${cls}" data-kind="${kind}" data-started-at="${T + at}" data-duration-ms="${ms}" style="left:${left}%;width:${width}%" title="${label}"><span>${label}</span></div>`;

test("the timeline, whole: rows in the order hosts started, plays sorted by start, idle before them, outcome per play", () => {
  const timeline: RunEvent[] = [
    { type: "host-play", play: "gather facts", host: "y", startedAt: T, durationMs: 800 },
    { type: "task", play: "web", host: "x", id: "kv:a", status: "changed", startedAt: T + 1000, durationMs: 0 },
    { type: "task", play: "web", host: "y", id: "kv:a", status: "ok", startedAt: T + 1000, durationMs: 0 },
    { type: "task", play: "web", host: "y", id: "kv:slow", status: "ok", startedAt: T + 1000, durationMs: 100 },
    { type: "task", play: "web", host: "y", id: "kv:slower", status: "ok", startedAt: T + 1100, durationMs: 300 },
    {
      type: "task",
      play: "web",
      host: "x",
      id: "restart",
      status: "changed",
      handler: true,
      startedAt: T + 1500,
      durationMs: 1000,
    },
    { type: "host-play", play: "web", host: "x", startedAt: T + 1000, durationMs: 1000 },
    { type: "host-play", play: "gather facts", host: "x", startedAt: T, durationMs: 500 },
    { type: "host-play", play: "web", host: "y", startedAt: T + 1000, durationMs: 500 },
    { type: "host-play", play: "app", host: "y", startedAt: T + 1800, durationMs: 1000 },
    { type: "unreachable", host: "x", message: "lost" },
  ];
  const html = reportPage({ header, events: timeline.map((event) => ({ ...event, time: "" }) as RecordedEvent) });
  const ticks = [
    ["0.0000", "0 ms"],
    ["25.0000", "0.7 s"],
    ["50.0000", "1.4 s"],
    ["75.0000", "2.1 s"],
    ["100.0000", "2.8 s"],
  ];
  assert.is(
    section(html, "timeline"),
    `<section id="timeline"><h2>Timeline</h2>
<p class="legend"><i class="ok"></i>ok <i class="changed"></i>changed <i class="failed"></i>failed <i class="idle"></i>idle (waiting for other hosts) — upper lane: plays, lower lane: tasks that took time</p>
<div class="axis"><div class="who"></div><div class="ticks">${ticks.map(([left, text]) => `<span style="left:${left}%">${text}</span>`).join("")}</div></div>
<div class="row" data-host="y">
<div class="who"><b>y</b><small>done at 2.8 s · busy 2.3 s · idle 0.5 s</small></div>
<div class="track"><div class="lane plays">${bar("idle", "idle", 800, 200, "28.5714", "7.1429", "idle 0.2 s")}${bar("idle", "idle", 1500, 300, "53.5714", "10.7143", "idle 0.3 s")}${bar("play", "ok", 0, 800, "0.0000", "28.5714", "gather facts 0.8 s")}${bar("play", "ok", 1000, 500, "35.7143", "17.8571", "web 0.5 s")}${bar("play", "ok", 1800, 1000, "64.2857", "35.7143", "app 1.0 s")}</div><div class="lane tasks">${bar("task", "ok", 1100, 300, "39.2857", "10.7143", "kv:slower 0.3 s")}${bar("task", "ok", 1000, 100, "35.7143", "3.5714", "kv:slow 0.1 s")}</div></div>
</div>
<div class="row" data-host="x">
<div class="who"><b>x</b><small>done at 2.0 s · busy 1.5 s · idle 0.5 s</small></div>
<div class="track"><div class="lane plays">${bar("idle", "idle", 500, 500, "17.8571", "17.8571", "idle 0.5 s")}${bar("play", "failed", 0, 500, "0.0000", "17.8571", "gather facts 0.5 s")}${bar("play", "changed", 1000, 1000, "35.7143", "35.7143", "web 1.0 s")}</div><div class="lane tasks">${bar("task", "changed", 1500, 1000, "53.5714", "35.7143", "handlers from restart 1.0 s")}</div></div>
</div>
</section>`,
    "the axis ends with y's last play, after x's handler exec; x's login failed only in gather facts",
  );
});

test("the slowest 10 tasks only; a change without a diff beside ones with diffs is no reason to ask for --diff", () => {
  const timed: RunEvent[] = Array.from({ length: 11 }, (_, index) => ({
    type: "task",
    play: "p",
    host: "a",
    id: `kv:${index}`,
    status: "ok",
    startedAt: T,
    durationMs: (index + 1) * 1000,
  }));
  const mixed: RunEvent = {
    type: "task",
    play: "p",
    host: "a",
    id: "file:/f",
    status: "changed",
    changes: [{ summary: "mode 0600" }, { summary: "content", diff: "+x" }, { summary: "mode", diff: "+y" }],
    startedAt: T,
    durationMs: 0,
  };
  const plain: RunEvent = { ...mixed, id: "kv:k", changes: [{ summary: "k" }] };
  const html = reportPage({
    header,
    events: [...timed, mixed, plain].map((event) => ({ ...event, time: "" }) as RecordedEvent),
  });
  const rows = [...section(html, "slowest").matchAll(/<td>(kv:\d+)<\/td>/g)].map((match) => match[1]);
  assert.equal(rows, ["kv:10", "kv:9", "kv:8", "kv:7", "kv:6", "kv:5", "kv:4", "kv:3", "kv:2", "kv:1"]);
  assert.ok(
    section(html, "changes").includes(
      '<div>mode 0600, content, mode</div>\n<pre class="diff"><span class="add">+x</span></pre>\n<pre class="diff"><span class="add">+y</span></pre></div>',
    ),
    "summaries joined, one diff block per change",
  );
  assert.ok(
    section(html, "changes").endsWith("<div>k</div>\n</div>\n</section>"),
    "one change had diffs: no --diff hint",
  );
});

test("the stylesheet styles every class the page and its timeline use", () => {
  const used = new Set(
    [...page.matchAll(/class="([^"]+)"/g)]
      .flatMap((match) => match[1]!.split(" "))
      .filter((name) => name !== "n" && name !== "plays"), // td.n below; the upper lane is styled as .lane
  );
  assert.ok(used.size > 15, [...used].join(" "));
  for (const name of used) assert.ok(new RegExp(`\\.${name}\\b`).test(REPORT_STYLE), `.${name} has no rule`);
  assert.ok(REPORT_STYLE.includes("td.n {"), "number cells");
  assert.ok(REPORT_STYLE.includes("@media print {"), "a print layout");
});

test.run();
