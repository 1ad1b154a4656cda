// Test support: a run history record's header with every field set, so that a test names only the fields it is about.
import type { RunHeader } from "../../../lib/report/run-record.ts";

export function runHeader(id: string, fields: Partial<RunHeader> = {}): RunHeader {
  return {
    type: "run",
    id,
    playbook: "site",
    environment: "lab",
    check: false,
    user: "ops",
    controller: "ctl",
    startedAt: 0,
    durationMs: 1,
    exitCode: 0,
    hosts: {},
    rerun: {},
    ...fields,
  };
}
