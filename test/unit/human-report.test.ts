// The human reporter's whole output for one run's events: each line's words, colours and verbosity, the live progress
// line on a TTY, the recap's colour per host.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { humanReporter } from "../../lib/report/human.ts";
import { ndjsonReporter } from "../../lib/report/ndjson.ts";

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
const clear = "\r\x1b[2K";
const progress = (tasks: string, hosts: string) => dim(`  … ${tasks} checked on ${hosts}`);

test("on a TTY: colours, and the progress line (tasks of every status, hosts) is cleared around each line", () => {
  const oneTask = progress("1 task", "1 host");
  const twoTasks = progress("2 tasks", "1 host");
  const threeTasks = progress("3 tasks", "1 host");
  const fiveTasks = progress("5 tasks", "3 hosts");
  assert.equal(printed(run, { verbosity: 0, color: true, live: true }), [
    bold("PLAYBOOK site · inventory lab · 2 hosts · check mode (nothing is changed)"),
    bold("PLAY web tier [web-01]"),
    `${clear}${oneTask}${clear}  ${yellow("changed")}  web-01  file:/etc/nginx/nginx.conf: content, mode 0644`,
    `${oneTask}${clear}      --- before`,
    "      +++ after",
    `      ${red("-old")}`,
    `      ${green("+new")}`,
    "       same",
    `${oneTask}${clear}${twoTasks}${clear}  ${yellow("changed")}  web-01  handler service:nginx: reloaded`,
    `${twoTasks}${clear}${threeTasks}${clear}  ${red("UNREACHABLE")} lb-01: connection refused`,
    `${threeTasks}${clear}${bold("PLAY database [db-01]")}`,
    `${threeTasks}${clear}  ${red("FAILED")}   db-01  file:/etc/mysql/my.cnf: validator said no`,
    `${threeTasks}${clear}${progress("4 tasks", "3 hosts")}${clear}${fiveTasks}${clear}  ${yellow("waiting")}  web-01  converge lock held by pid 42`,
    `${fiveTasks}${clear}  ${yellow("metrics")}  publishing to mon-01 failed: permission denied`,
    `${fiveTasks}${clear}${bold("RECAP")}`,
    `  ${yellow("web-01          ")} ok=1 changed=2 failed=0 unreachable=0 skipped=0`,
    `  ${red("db-01           ")} ok=0 changed=0 failed=1 unreachable=0 skipped=1`,
    `  ${red("lb-01           ")} ok=0 changed=0 failed=0 unreachable=1 skipped=0`,
    `  ${green("mon-01          ")} ok=3 changed=0 failed=0 unreachable=0 skipped=0`,
    "  1.23 s (check mode), exit 1",
    "",
  ]);
});

test("closing a live reporter before its recap clears the progress line; without a TTY nothing is cleared", () => {
  const started = [task("web tier", "web-01", "package:nginx", "ok")];
  assert.equal(printed(started, { verbosity: 0, color: false, live: true }), [
    `${clear}  … 1 task checked on 1 host${clear}`,
  ]);
  assert.equal(printed(started, { verbosity: 0, color: false, live: false }), [""]);
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
