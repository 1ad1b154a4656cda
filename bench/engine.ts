// Engine cost alone: a 30-resource no-op play on N fake hosts (no network), as the figure asks.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { definePlaybook } from "../lib/dsl/playbook.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import { connectorFor, fakeInventory, newHosts, thirtyKeys } from "../test/unit/support/kv-host.ts";
import { timeRuns, type Summary } from "./stats.ts";

const playbook = definePlaybook("bench", [{ name: "thirty", hosts: "all_fake", roles: [thirtyKeys] }]);
const silent = { emit() {}, close() {} };

/** Median time of a converged (no-op) 30-resource run on `count` fake hosts. */
export async function engineNoop(count: number): Promise<Summary> {
  const names = Array.from({ length: count }, (_, index) => `h${index}`);
  const hosts = newHosts(names);
  const factsDir = mkdtempSync(join(tmpdir(), "bench-facts-"));
  const inventory = fakeInventory(names);
  const converge = () =>
    runPlaybook(playbook, {
      inventory,
      environment: "test",
      check: false,
      diff: false,
      forks: 200,
      reporter: silent,
      connect: connectorFor(hosts, { execs: [] }),
      connectFresh: connectorFor(hosts, { execs: [] }),
      repoRoot: process.cwd(),
      factsDir,
    });
  try {
    await converge();
    return await timeRuns(15, converge, 2);
  } finally {
    rmSync(factsDir, { recursive: true, force: true });
  }
}
