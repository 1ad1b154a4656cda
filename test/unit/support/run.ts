// Test support: run a playbook against fake hosts and keep every event.
import type { FakeHostOptions, FakeLog } from "../../../lib/testing/fake-transport.ts";
import type { InventorySpec } from "../../../lib/inventory/types.ts";
import type { Playbook } from "../../../lib/dsl/playbook.ts";
import type { Reporter, RunEvent } from "../../../lib/report/events.ts";
import type { RunOptions } from "../../../lib/runner/run-options.ts";
import { runPlaybook, type RunResult } from "../../../lib/runner/run.ts";
import { connectorFor, type KvHost } from "./kv-host.ts";

export function recorder(): Reporter & { events: RunEvent[] } {
  const events: RunEvent[] = [];
  return { events, emit: (event) => events.push(event), close() {} };
}

export interface FakeRun extends RunResult {
  events: RunEvent[];
  log: FakeLog;
}

/** Run with facts kept in memory between calls sharing `factsDir: null` semantics per call. */
export async function runFake(
  playbook: Playbook,
  inventory: InventorySpec,
  hosts: Record<string, KvHost>,
  options: Partial<RunOptions> & { fake?: Record<string, FakeHostOptions> } = {},
): Promise<FakeRun> {
  const log: FakeLog = { execs: [] };
  const reporter = recorder();
  const result = await runPlaybook(playbook, {
    inventory,
    environment: "test",
    check: false,
    diff: false,
    forks: 10,
    reporter,
    connect: connectorFor(hosts, log, options.fake),
    connectFresh: connectorFor(hosts, log, options.fake),
    repoRoot: process.cwd(),
    factsDir: null,
    ...options,
  });
  return { ...result, events: reporter.events, log };
}

export function tasks(events: RunEvent[], status?: string) {
  return events.filter(
    (event): event is Extract<RunEvent, { type: "task" }> =>
      event.type === "task" && (!status || event.status === status),
  );
}
