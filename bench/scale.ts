// Scale: a synthetic 30-resource play on N loopback SSH hosts — first run, no-op re-run, and the ssh2 floor.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, posix } from "node:path";
import { sshConnector } from "../lib/cli/main.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { definePlaybook } from "../lib/playbook.ts";
import { defineRole } from "../lib/role.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import { DATA_DIR, startLoopbackHosts } from "./loopback-hosts.ts";
import { timeRuns, type Summary } from "./stats.ts";
import { RoleVars } from "../lib/role-vars.ts";

const synthetic = defineRole({
  name: "synthetic",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ r, host }) => {
    const dir = posix.join(DATA_DIR, host.name);
    return [r.directory(dir, { mode: "0755" }), ...Array.from({ length: 29 }, (_, index) => r.file(posix.join(dir, `setting-${index}.conf`), `# synthetic ${index}\nkey${index} = value of ${host.name}\n`, { mode: "0644" }))];
  },
});
const playbook = definePlaybook("scale", [{ name: "thirty resources", hosts: "bench", roles: [synthetic] }]);
const silent = { emit() {}, close() {} };
const connect = sshConnector({ acceptNewHostKeys: false, timeoutSeconds: 120 });

export interface ScaleResult {
  hosts: number;
  firstRunMs: number;
  noop: Summary;
  floor: Summary;
}

export async function scale(count: number, runs: number): Promise<ScaleResult> {
  const hosts = await startLoopbackHosts(count);
  const factsDir = mkdtempSync(join(tmpdir(), "bench-scale-facts-"));
  try {
    const converge = async (expectChanges: boolean) => {
      const result = await runPlaybook(playbook, { inventory: hosts.inventory, environment: "bench", check: false, diff: false, forks: count, reporter: silent, connect, repoRoot: REPO_ROOT, factsDir });
      const changed = Object.values(result.counts).reduce((sum, counts) => sum + counts.changed, 0);
      if (result.exitCode !== 0 || (expectChanges ? changed !== count * 30 : changed !== 0)) throw new Error(`scale run on ${count} hosts: exit ${result.exitCode}, ${changed} changed`);
    };
    const started = performance.now();
    await converge(true);
    const firstRunMs = performance.now() - started;
    const noop = await timeRuns(runs, () => converge(false), 1);
    const loaded = loadInventory(hosts.inventory, "bench");
    const floor = await timeRuns(runs, () => Promise.all(loaded.hosts.map(async (host) => {
      const transport = await connect(host);
      await transport.exec("true");
      await transport.close();
    })), 1);
    return { hosts: count, firstRunMs, noop, floor };
  } finally {
    rmSync(factsDir, { recursive: true, force: true });
    await hosts.stop();
  }
}
