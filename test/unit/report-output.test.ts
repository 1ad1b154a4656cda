// What the reporters print: each change under its own play, plural forms, and the scripts sent only at -vv.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { registerSecret } from "../../lib/mask.ts";
import { fanOut, type Reporter, type RunEvent } from "../../lib/report/events.ts";
import { humanReporter } from "../../lib/report/human.ts";
import { ndjsonReporter } from "../../lib/report/ndjson.ts";
import { counted, duration } from "../../lib/report/words.ts";

const printed = (events: RunEvent[], verbosity = 0) => {
  let text = "";
  const write = (chunk: string) => {
    text += chunk;
  };
  const reporter = humanReporter({ verbosity, color: false, live: false, write });
  for (const event of events) reporter.emit(event);
  reporter.close();
  return text;
};

const change = (host: string, play: string, id: string): RunEvent => ({
  type: "task",
  play,
  host,
  id,
  status: "changed",
  startedAt: 0,
  durationMs: 0,
  changes: [{ summary: "content" }],
});

test("a change line printed after another play's header gets its own play's header first", () => {
  const text = printed([
    { type: "play", play: "web tier", hosts: ["web-01"] },
    { type: "play", play: "database replica", hosts: ["db-02"] },
    change("web-01", "web tier", "template:/etc/nginx/sites-enabled/foobar"),
    change("web-01", "web tier", "service:nginx"),
    change("db-02", "database replica", "file:/etc/mysql/conf.d/replica.cnf"),
  ]);
  assert.is(
    text,
    [
      "PLAY web tier [web-01]",
      "PLAY database replica [db-02]",
      "PLAY web tier [web-01]",
      "  changed  web-01  template:/etc/nginx/sites-enabled/foobar: content",
      "  changed  web-01  service:nginx: content",
      "PLAY database replica [db-02]",
      "  changed  db-02  file:/etc/mysql/conf.d/replica.cnf: content",
      "",
    ].join("\n"),
  );
});

test("counts and durations read right: 1 host, 2 hosts; 36 ms, 0.1 s", () => {
  assert.match(
    printed([{ type: "start", playbook: "site", environment: "lab", hosts: ["web-01"], check: false }]),
    /· 1 host\n/,
  );
  assert.is(counted(2, "task"), "2 tasks");
  assert.is(duration(36), "36 ms");
  assert.is(duration(100), "0.1 s");
  assert.match(
    printed([{ type: "recap", hosts: {}, durationMs: 42, exitCode: 0, check: false }]),
    /^ {2}42 ms, exit 0$/m,
  );
});

test("--json carries the scripts sent (command events) only at -vv", () => {
  const lines = (verbosity: number) => {
    const written: string[] = [];
    const reporter = ndjsonReporter(verbosity, (line) => written.push(line));
    reporter.emit({ type: "command", host: "web-01", script: "echo probe" });
    reporter.emit({ type: "waiting", host: "web-01", message: "lock" });
    return written.map((line) => JSON.parse(line).type);
  };
  assert.equal(lines(0), ["waiting"]);
  assert.equal(lines(1), ["waiting"]);
  assert.equal(lines(2), ["command", "waiting"]);
});

test("each NDJSON line is the event, masked, with the time it was written, and a newline", () => {
  registerSecret("ndjson-line-secret");
  const written: string[] = [];
  const before = Date.now();
  ndjsonReporter(0, (line) => written.push(line)).emit({
    type: "unreachable",
    host: "web-01",
    message: "refused ndjson-line-secret",
  });
  assert.is(written.length, 1);
  assert.ok(written[0]!.endsWith("}\n"), "one line");
  const { time, ...event } = JSON.parse(written[0]!);
  assert.equal(event, { type: "unreachable", host: "web-01", message: "refused ********" });
  assert.match(time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.ok(Date.parse(time) >= before, "written now, not earlier");
});

test("fanOut sends each event, and the close, to every reporter", () => {
  const seen: string[] = [];
  const recorder = (name: string): Reporter => ({
    emit: (event) => seen.push(`${name} ${event.type}`),
    close: () => seen.push(`${name} close`),
  });
  const both = fanOut(recorder("a"), recorder("b"));
  both.emit({ type: "waiting", host: "web-01", message: "lock" });
  both.close();
  assert.equal(seen, ["a waiting", "b waiting", "a close", "b close"]);
});

test.run();
