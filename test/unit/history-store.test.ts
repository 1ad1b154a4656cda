// The run history's files in scratch directories: ids sort as runs started, the bound drops records by count and by
// age (from the id's time), headers are read from the first line alone (however long), unreadable records are left
// out, and an id is found whole, by its start or by its last 4 hex digits.
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import { emptyCounts } from "../../lib/report/events.ts";
import {
  findHeader,
  lastRunOf,
  listHeaders,
  newRunId,
  pruneEnvironment,
  readRecord,
  writeRecord,
} from "../../lib/report/history-store.ts";
import type { RunHeader } from "../../lib/report/run-record.ts";
import { scratchDir } from "./support/scratch.ts";
import { runHeader } from "./support/run-header.ts";

const DAY = 86_400_000;
const T = Date.UTC(2026, 11, 5, 14, 12, 17, 123);

const header = runHeader;
const text = (record: RunHeader, events = "") => `${JSON.stringify(record)}\n${events}`;
const KEEP = { runs: 100, days: 100 };

test("a new id is the start's UTC time to the millisecond and 4 random hex digits; ids sort as runs started", () => {
  assert.match(newRunId(T), /^20261205-141217\.123-[0-9a-f]{4}$/);
  assert.ok(newRunId(Date.UTC(2026, 0, 2, 3, 4, 5, 6)).startsWith("20260102-030405.006-"));
  const ids = new Set(Array.from({ length: 50 }, () => newRunId(T).slice(-4)));
  assert.ok(ids.size > 1, "the suffix is random");
});

test("writeRecord: 0600 in a 0700 environment directory, never over another record; returns the file", () => {
  const dir = scratchDir("history-store-");
  const file = writeRecord(dir, header("20261205-141217.123-aaaa"), text(header("x")), KEEP, T);
  assert.is(file, join(dir, "lab", "20261205-141217.123-aaaa.ndjson"));
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.is(statSync(join(dir, "lab")).mode & 0o777, 0o700);
  assert.throws(() => writeRecord(dir, header("20261205-141217.123-aaaa"), "other", KEEP, T), /EEXIST/);
  assert.is(readFileSync(file, "utf8"), text(header("x")));
  writeRecord(dir, header("20261205-141217.124-bbbb"), "{}", { runs: 1, days: 1 }, T);
  assert.equal(readdirSync(join(dir, "lab")), ["20261205-141217.124-bbbb.ndjson"], "the bound applied on writing");
});

test("the bound: the last N records by id, and none older than D days by the id's own time (a file's mtime is not read)", () => {
  const dir = scratchDir("history-prune-");
  const env = join(dir, "lab");
  mkdirSync(env);
  const ids = [
    "20261120-000000.000-0001", // 15 days and 14 h before T
    "20261201-141217.124-0002", // just under 4 days
    "20261201-141217.123-0003", // exactly 4 days: kept
    "20261201-141217.122-0004", // just over 4 days
    "20261205-000000.000-0005",
    "20261205-120000.000-0006",
  ];
  for (const id of ids) writeFileSync(join(env, `${id}.ndjson`), text(header(id)));
  writeFileSync(join(env, "notes.txt"), "not a record");
  pruneEnvironment(env, { runs: 10, days: 4 }, T);
  assert.equal(readdirSync(env).sort(), [
    "20261201-141217.123-0003.ndjson",
    "20261201-141217.124-0002.ndjson",
    "20261205-000000.000-0005.ndjson",
    "20261205-120000.000-0006.ndjson",
    "notes.txt",
  ]);
  pruneEnvironment(env, { runs: 2, days: 4 }, T);
  assert.equal(readdirSync(env).sort(), [
    "20261205-000000.000-0005.ndjson",
    "20261205-120000.000-0006.ndjson",
    "notes.txt",
  ]);
  pruneEnvironment(env, { runs: 2, days: 100 }, T + 200 * DAY);
  assert.equal(readdirSync(env), ["notes.txt"], "everything is too old");
  writeFileSync(join(env, "odd-name.ndjson"), text(header("odd-name")));
  writeFileSync(join(env, "copy-20261205-120000.000-0006.ndjson"), text(header("copy-20261205-120000.000-0006")));
  pruneEnvironment(env, { runs: 2, days: 100 }, T);
  assert.equal(readdirSync(env).sort(), ["notes.txt"], "an id that does not start with a time is as old as can be");
});

test("listHeaders: every environment's or one's, sorted by id; a long first line read whole; broken records left out", () => {
  const dir = scratchDir("history-list-");
  assert.equal(listHeaders(join(dir, "none")), [], "no history yet");
  assert.equal(listHeaders(dir, "lab"), [], "no such environment yet");
  const long = header("20261205-000000.000-0002", { hosts: { ["h".repeat(40_000)]: emptyCounts() } });
  for (const [env, record] of [
    ["lab", header("20261205-000000.000-0003")],
    ["lab", long],
    ["production", header("20261205-000000.000-0001", { environment: "production" })],
  ] as const) {
    mkdirSync(join(dir, env), { recursive: true });
    writeFileSync(join(dir, env, `${record.id}.ndjson`), text(record, '{"type":"start"}\n'));
  }
  writeFileSync(join(dir, "lab", "20261205-000000.000-0004.ndjson"), '{"type":"task"}\n');
  writeFileSync(join(dir, "lab", "20261205-000000.000-0005.ndjson"), "{not json");
  writeFileSync(
    join(dir, "lab", "20261205-000000.000-0006.ndjson"),
    JSON.stringify(header("20261205-000000.000-0006")),
  );
  writeFileSync(join(dir, "stray.ndjson"), text(header("stray")));
  mkdirSync(join(dir, "lab", "20261205-000000.000-0007.ndjson"));
  assert.equal(
    listHeaders(dir).map((found) => found.id),
    ["20261205-000000.000-0001", "20261205-000000.000-0002", "20261205-000000.000-0003", "20261205-000000.000-0006"],
  );
  assert.equal(listHeaders(dir, "lab").map((found) => found.id).length, 3);
  assert.equal(listHeaders(dir, "lab")[0], long, "the 40 kB header line, whole");
});

test("listHeaders reads the first line only: a record starting with an empty line is left out, a header after it unread", () => {
  const dir = scratchDir("history-blank-");
  mkdirSync(join(dir, "lab"));
  const kept = header("20261205-000000.000-0001");
  const late = header("20261205-000000.000-0002");
  const past = header("20261205-000000.000-0003");
  writeFileSync(join(dir, "lab", `${kept.id}.ndjson`), JSON.stringify(kept));
  writeFileSync(join(dir, "lab", `${late.id}.ndjson`), `\n${JSON.stringify(late)}`);
  const pastTheFirstRead = `\n${" ".repeat(16_383)}${JSON.stringify(past)}`;
  writeFileSync(join(dir, "lab", `${past.id}.ndjson`), pastTheFirstRead);
  assert.equal(listHeaders(dir), [kept]);
});

test("listHeaders stops at the first newline: a record with events past the first read is listed by its header", () => {
  const dir = scratchDir("history-events-");
  mkdirSync(join(dir, "lab"));
  const record = header("20261205-000000.000-0001");
  const events = Array.from({ length: 1000 }, (_, index) => `{"type":"waiting","host":"h${index}","message":"lock"}\n`);
  writeFileSync(join(dir, "lab", `${record.id}.ndjson`), text(record, events.join("")));
  assert.equal(listHeaders(dir), [record]);
});

test("listHeaders closes each record it opens: the process holds as many open files after a listing as before", () => {
  const dir = scratchDir("history-fds-");
  mkdirSync(join(dir, "lab"));
  for (const index of [1, 2, 3, 4, 5]) {
    const record = header(`20261205-000000.000-000${index}`);
    writeFileSync(join(dir, "lab", `${record.id}.ndjson`), text(record));
  }
  const openFiles = () => readdirSync("/proc/self/fd").length;
  const before = openFiles();
  assert.is(listHeaders(dir).length, 5);
  assert.is(openFiles(), before);
});

test("a header line longer than one read, with characters of 3 bytes straddling the read's end, is read back whole", () => {
  const dir = scratchDir("history-utf8-");
  mkdirSync(join(dir, "lab"));
  const written = [0, 1, 2].map((pad) =>
    header(`20261205-000000.000-000${pad}`, { rerun: { a: `${"x".repeat(pad)}${"…".repeat(10_000)}` } }),
  );
  for (const record of written)
    writeFileSync(join(dir, "lab", `${record.id}.ndjson`), text(record, '{"type":"start"}\n'));
  assert.equal(listHeaders(dir), written, "one of the three pads splits a character at 16384 bytes");
});

test("findHeader and readRecord: a whole id, a unique start or -xxxx ending; none or two is input naming them", () => {
  const dir = scratchDir("history-find-");
  const a = header("20261205-100000.000-ab12");
  const b = header("20261205-110000.000-cd34", { playbook: "deploy" });
  const c = header("20261206-100000.000-ab1", { environment: "production" });
  const d = header("20261206-100000.000-ab12", { environment: "production" });
  for (const record of [a, b, c, d]) writeRecord(dir, record, text(record, '{"type":"start"}\n\n'), KEEP, T);
  assert.equal(findHeader(dir, a.id), a);
  assert.equal(findHeader(dir, "20261205-11"), b);
  assert.equal(findHeader(dir, "cd34"), b);
  assert.equal(findHeader(dir, c.id), c, "a whole id wins over the start of another");
  const inputError = (message: string) => (error: Error) => error instanceof InputError && error.message === message;
  assert.throws(() => findHeader(dir, "0000"), inputError(`no run "0000" in the history (${dir})`));
  assert.throws(
    () => findHeader(dir, "20261205"),
    inputError(`"20261205" names 2 runs (${a.id}, ${b.id}): give more of the id`),
  );
  assert.throws(
    () => findHeader(dir, "ab12"),
    inputError(`"ab12" names 2 runs (${a.id}, ${d.id}): give more of the id`),
  );
  assert.throws(() => findHeader(dir, "b12"), /no run "b12"/, "an ending counts only after its dash");
  assert.equal(readRecord(dir, "cd34"), { header: b, events: [{ type: "start" }] });
});

test("lastRunOf: the newest record of that playbook on that environment", () => {
  const dir = scratchDir("history-last-");
  const records = [
    header("20261205-100000.000-0001"),
    header("20261205-110000.000-0002"),
    header("20261205-120000.000-0003", { playbook: "deploy" }),
    header("20261205-130000.000-0004", { environment: "production" }),
  ];
  for (const record of records) writeRecord(dir, record, text(record), KEEP, T);
  assert.is(lastRunOf(dir, "site", "lab")?.id, "20261205-110000.000-0002");
  assert.is(lastRunOf(dir, "deploy", "production"), undefined);
});

test.run();
