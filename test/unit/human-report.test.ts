// The human reporter's whole output for one run's events: each line's words, colours and verbosity, the live lines
// on a TTY (one per host) as a terminal shows them, the recap's colour per host and the rerun command.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { humanReporter } from "../../lib/report/human.ts";
import { ndjsonReporter } from "../../lib/report/ndjson.ts";
import { Screen } from "./support/terminal.ts";

const task = (play: string, host: string, id: string, status: "ok" | "changed" | "failed" | "skipped") =>
  ({ type: "task", play, host, id, status, startedAt: 0, durationMs: 0 }) as const;

const run: RunEvent[] = [
  { type: "start", playbook: "site", environment: "lab", hosts: ["web-01", "db-01"], check: true },
  { type: "play", play: "web tier", hosts: ["web-01"] },
  task("web tier", "web-01", "package:nginx", "ok"),
  {
    ...task("web tier", "web-01", "file:/etc/nginx/nginx.conf", "changed"),
    changes: [{ summary: "content", diff: "--- before\n+++ after\n-old\n+new\n same" }, { summary: "mode 0644" }],
  },
  { ...task("web tier", "web-01", "service:nginx", "changed"), handler: true, changes: [{ summary: "reloaded" }] },
  { type: "unreachable", host: "lb-01", message: "connection refused" },
  { ...task("database", "db-01", "file:/etc/mysql/my.cnf", "failed"), message: "validator said no" },
  task("database", "db-01", "service:mariadb", "skipped"),
  { type: "waiting", host: "web-01", message: "converge lock held by pid 42" },
  { type: "metrics", host: "mon-01", files: 2 },
  { type: "metrics", host: "mon-01", files: 0, error: "permission denied" },
  { type: "command", host: "web-01", script: "echo probe\necho more" },
  {
    type: "recap",
    durationMs: 1234,
    exitCode: 1,
    check: true,
    hosts: {
      "web-01": { ok: 1, changed: 2, failed: 0, unreachable: 0, skipped: 0 },
      "db-01": { ok: 0, changed: 0, failed: 1, unreachable: 0, skipped: 1 },
      "lb-01": { ok: 0, changed: 0, failed: 0, unreachable: 1, skipped: 0 },
      "mon-01": { ok: 3, changed: 0, failed: 0, unreachable: 0, skipped: 0 },
    },
  },
];

/** What the reporter writes for `events`, closed at the end, as lines. */
function printed(events: RunEvent[], options: { verbosity: number; color: boolean; live: boolean }): string[] {
  let text = "";
  const reporter = humanReporter({ ...options, write: (chunk) => (text += chunk) });
  for (const event of events) reporter.emit(event);
  reporter.close();
  return text.split("\n");
}

const plain = (verbosity: number) => printed(run, { verbosity, color: false, live: false });

const recap = [
  "RECAP",
  "  web-01           ok=1 changed=2 failed=0 unreachable=0 skipped=0",
  "  db-01            ok=0 changed=0 failed=1 unreachable=0 skipped=1",
  "  lb-01            ok=0 changed=0 failed=0 unreachable=1 skipped=0",
  "  mon-01           ok=3 changed=0 failed=0 unreachable=0 skipped=0",
  "  1.23 s (check mode), exit 1",
  "",
];

test("-v adds the ok and skipped tasks and the metrics published; -vv adds the scripts sent", () => {
  const upToMetrics = [
    "PLAYBOOK site · inventory lab · 2 hosts · check mode (nothing is changed)",
    "PLAY web tier [web-01]",
    "  ok       web-01  package:nginx",
    "  changed  web-01  file:/etc/nginx/nginx.conf: content, mode 0644",
    "      --- before",
    "      +++ after",
    "      -old",
    "      +new",
    "       same",
    "  changed  web-01  handler service:nginx: reloaded",
    "  UNREACHABLE lb-01: connection refused",
    "PLAY database [db-01]",
    "  FAILED   db-01  file:/etc/mysql/my.cnf: validator said no",
    "  skipped       db-01  service:mariadb",
    "  waiting  web-01  converge lock held by pid 42",
    "  metrics  2 file(s) published to mon-01",
    "  metrics  publishing to mon-01 failed: permission denied",
  ];
  assert.equal(plain(1), [...upToMetrics, ...recap]);
  assert.equal(plain(2), [...upToMetrics, "  [web-01] $ echo probe", "    echo more", ...recap]);
});

const bold = (text: string) => `\x1b[1m${text}\x1b[0m`;
const dim = (text: string) => `\x1b[2m${text}\x1b[0m`;
const red = (text: string) => `\x1b[31m${text}\x1b[0m`;
const green = (text: string) => `\x1b[32m${text}\x1b[0m`;
const yellow = (text: string) => `\x1b[33m${text}\x1b[0m`;
/** What a terminal of `columns` and `rows` shows after each event of `events`, the reporter live. */
function screens(events: RunEvent[], rows = 24, rerunHint = false, columns = 100): string[][] {
  const screen = new Screen();
  const reporter = humanReporter({
    verbosity: 0,
    color: false,
    live: true,
    rerunHint,
    terminal: { columns, rows },
    write: (text) => screen.write(text),
  });
  return events.map((event) => {
    reporter.emit(event);
    return screen.text();
  });
}

const started: RunEvent = { ...run[0]!, hostPlays: { "web-01": 2, "db-01": 1 } } as RunEvent;

test("on a TTY: a live line per host (plays done/total, its play and last task, or why it stopped) below the printed lines", () => {
  const shown = screens([started, ...run.slice(1)]);
  assert.equal(shown[0], [
    "PLAYBOOK site · inventory lab · 2 hosts · check mode (nothing is changed)",
    "  web-01  0/2  connecting",
    "  db-01   0/1  connecting",
  ]);
  assert.equal(shown[3]!.slice(-2), [
    "  web-01  0/2  web tier · file:/etc/nginx/nginx.conf (2 tasks)",
    "  db-01   0/1  connecting",
  ]);
  const beforeRecap = shown.at(-2)!;
  assert.equal(beforeRecap.slice(-3), [
    "  web-01  0/2  web tier · service:nginx (3 tasks)",
    "  db-01   0/1  failed: file:/etc/mysql/my.cnf (2 tasks)",
    "  lb-01   0/?  unreachable (0 tasks)",
  ]);
  assert.equal(
    beforeRecap.slice(0, -3),
    plain(0).slice(0, beforeRecap.length - 3),
    "above the live lines: the lines printed as without a TTY",
  );
  assert.equal(shown.at(-1), [...plain(0)], "the recap clears the live lines: the screen holds what a pipe gets");
});

test("on a TTY: colours as without one; a play's end counts for its host, gather facts does not", () => {
  const done: RunEvent[] = [
    started,
    { type: "host-play", play: "gather facts", host: "db-01", startedAt: 0, durationMs: 5 },
    task("database", "db-01", "package:mariadb", "ok"),
    { type: "host-play", play: "database", host: "db-01", startedAt: 0, durationMs: 5 },
  ];
  assert.equal(screens(done).at(-1)!.slice(-1), ["  db-01   1/1  done (1 task)"]);
  let text = "";
  const reporter = humanReporter({
    verbosity: 0,
    color: true,
    live: true,
    terminal: { columns: 100, rows: 24 },
    write: (chunk) => (text += chunk),
  });
  reporter.emit(run[3]!);
  assert.ok(text.startsWith(`${bold("PLAY web tier [web-01]")}\n`), JSON.stringify(text));
  assert.ok(text.includes(`  ${yellow("changed")}  web-01  file:/etc/nginx/nginx.conf: content, mode 0644\n`));
  assert.ok(text.endsWith(dim("  web-01  0/?  web tier · file:/etc/nginx/nginx.conf (1 task)")), JSON.stringify(text));
});

test("on a TTY: live lines fit the terminal's width, and its height with the hosts left over counted", () => {
  const many: RunEvent = {
    type: "start",
    playbook: "site",
    environment: "lab",
    hosts: ["h1", "h2", "h3", "h4", "h5", "h6"],
    check: false,
  };
  const long = task("a play whose name is long enough to pass sixty columns", "h1", "file:/etc/x", "ok");
  const shown = screens([many, long], 6, false, 60).at(-1)!;
  assert.equal(shown.slice(-4), [
    "  h1  0/?  a play whose name is long enough to pass sixty …",
    "  h2  0/?  connecting",
    "  h3  0/?  connecting",
    "  … and 3 more hosts",
  ]);
  assert.ok(shown.every((line) => line.length <= 59));
});

test("closing a live reporter before its recap clears its lines; without a TTY nothing is drawn", () => {
  const beforeRecap = [started, task("web tier", "web-01", "package:nginx", "ok")];
  let text = "";
  const screen = new Screen();
  const reporter = humanReporter({
    verbosity: 0,
    color: false,
    live: true,
    terminal: { columns: 60, rows: 24 },
    write: (chunk) => screen.write(chunk),
  });
  for (const event of beforeRecap) reporter.emit(event);
  reporter.close();
  assert.equal(screen.text(), ["PLAYBOOK site · inventory lab · 2 hosts · check mode (nothing is changed)", ""]);
  const offTty = humanReporter({ verbosity: 0, color: false, live: false, write: (chunk) => (text += chunk) });
  for (const event of beforeRecap) offTty.emit(event);
  offTty.close();
  assert.is(text, "PLAYBOOK site · inventory lab · 2 hosts · check mode (nothing is changed)\n");
});

test("the recap of a run of its own ends with the command that reruns the hosts that did not complete, and why each", () => {
  const lines = screens([started, ...run.slice(1)], 24, true).at(-1)!;
  assert.equal(lines.slice(-5), [
    "  1.23 s (check mode), exit 1",
    "  rerun what did not complete: bin/foobar-infra site -i lab --check --limit @failed",
    "    lb-01: unreachable",
    "    db-01: failed: file:/etc/mysql/my.cnf",
    "",
  ]);
  const clean = [started, task("web tier", "web-01", "package:nginx", "ok"), run.at(-1)!];
  assert.not.ok(
    screens(clean, 24, true)
      .at(-1)!
      .some((line) => line.includes("rerun")),
    "a run where every host completed prints no rerun line",
  );
});

test("a run's recap without check mode and a run that changed nothing", () => {
  const quiet: RunEvent = {
    type: "recap",
    durationMs: 99.6,
    exitCode: 0,
    check: false,
    hosts: { "web-01": { ok: 4, changed: 0, failed: 0, unreachable: 0, skipped: 0 } },
  };
  assert.equal(printed([quiet], { verbosity: 0, color: false, live: false }), [
    "RECAP",
    "  web-01           ok=4 changed=0 failed=0 unreachable=0 skipped=0",
    "  100 ms, exit 0",
    "",
  ]);
});

test("-vv in colour: a play's hosts, an ok task of another play under its header, bare changed and failed lines, a script", () => {
  const events: RunEvent[] = [
    { type: "play", play: "web tier", hosts: ["web-01", "web-02"] },
    { type: "play", play: "database", hosts: ["db-01"] },
    task("web tier", "web-01", "package:nginx", "ok"),
    task("web tier", "web-02", "kv:k", "changed"),
    task("web tier", "web-02", "kv:j", "failed"),
    { type: "command", host: "web-02", script: "echo probe" },
  ];
  assert.equal(printed(events, { verbosity: 2, color: true, live: false }), [
    bold("PLAY web tier [web-01, web-02]"),
    bold("PLAY database [db-01]"),
    bold("PLAY web tier [web-01]"),
    `  ${green("ok")}       web-01  package:nginx`,
    `  ${yellow("changed")}  web-02  kv:k: `,
    `  ${red("FAILED")}   web-02  kv:j: `,
    dim("  [web-02] $ echo probe"),
    "",
  ]);
});

test("without a write function both reporters write to stdout", () => {
  const written: string[] = [];
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string) => written.push(chunk) > 0) as typeof process.stdout.write;
  try {
    humanReporter({ verbosity: 0, color: false, live: false }).emit({
      type: "play",
      play: "web tier",
      hosts: ["web-01"],
    });
    ndjsonReporter().emit({ type: "play", play: "web tier", hosts: ["web-01"] });
  } finally {
    process.stdout.write = write;
  }
  assert.is(written[0], "PLAY web tier [web-01]\n");
  assert.match(written[1]!, /^\{"type":"play","play":"web tier","hosts":\["web-01"\],"time":"[^"]+"\}\n$/);
  assert.is(written.length, 2);
});

test.run();
