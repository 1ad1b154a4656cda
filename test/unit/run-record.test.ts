// A record's text: the masked header line, then each event as --json prints it with its time; read back whole or by
// its first line, and a text whose first line is no run header refused.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { registerSecret } from "../../lib/mask.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { parseHeader, parseRecord, recordText, type RunHeader } from "../../lib/report/run-record.ts";

const SECRET = "run-record-secret-8Kp";
registerSecret(SECRET);
const header: RunHeader = {
  type: "run",
  id: "20261205-000000.000-abcd",
  playbook: "site",
  environment: "lab",
  check: false,
  limit: `web-01,${SECRET}`,
  user: "ops",
  controller: "ctl",
  startedAt: 1,
  durationMs: 2,
  exitCode: 1,
  hosts: {},
  rerun: { "web-01": `failed: ${SECRET}` },
};
const events: RunEvent[] = [
  { type: "start", playbook: "site", environment: "lab", hosts: ["web-01"], check: false },
  { type: "unreachable", host: "web-01", message: `no ${SECRET}` },
];
const times = [new Date(Date.UTC(2026, 0, 1)), new Date(Date.UTC(2026, 0, 2))];

test("the text: the header line masked, then one masked --json line per event with its time", () => {
  const text = recordText(
    header,
    events.map((event, index) => ({ event, time: times[index]! })),
  );
  const masked = { ...header, limit: "web-01,********", rerun: { "web-01": "failed: ********" } };
  assert.is(
    text,
    `${JSON.stringify(masked)}\n${JSON.stringify({ ...events[0], time: "2026-01-01T00:00:00.000Z" })}\n${JSON.stringify({ ...events[1], message: "no ********", time: "2026-01-02T00:00:00.000Z" })}\n`,
  );
  assert.equal(parseRecord(text), {
    header: masked,
    events: [
      { ...events[0], time: "2026-01-01T00:00:00.000Z" },
      { ...events[1], message: "no ********", time: "2026-01-02T00:00:00.000Z" },
    ],
  });
  assert.equal(parseHeader(text.split("\n")[0]!), masked);
});

test("a first line that is no run header is refused; a record with no events has none", () => {
  assert.throws(
    () => parseHeader('{"type":"start"}'),
    (error: Error) => error.message === "not a run record (its first line is no run header)",
  );
  assert.throws(() => parseRecord('{"type":"task"}\n'), /not a run record/);
  assert.equal(parseRecord(`${JSON.stringify(header)}\n\n`), { header, events: [] });
});

test.run();
