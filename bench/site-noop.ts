// No-op re-converge of site.ts on the lab over SSH, against the floor: one ssh2 connect + `true` per host in parallel.
import { join } from "node:path";
import inventory from "../hosts.ts";
import { REPO_ROOT, sshConnector } from "../lib/cli/connector.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import type { Connector } from "../lib/runner/run-options.ts";
import { site } from "../playbooks/site.ts";
import { summarise, type Summary } from "./stats.ts";

const silent = { emit() {}, close() {} };
/** The bench's logins to the lab: known host keys only, a minute per command. */
export const labConnect = sshConnector({ acceptNewHostKeys: false, timeoutSeconds: 60 });

/** site.ts -i lab in this process, logging in through `login`; throws unless it is a no-op. */
export async function labNoop(login: Connector = labConnect): Promise<void> {
  const result = await runPlaybook(site, {
    inventory,
    environment: "lab",
    check: false,
    diff: false,
    forks: 50,
    reporter: silent,
    connect: login,
    connectFresh: labConnect,
    repoRoot: REPO_ROOT,
    factsDir: join(REPO_ROOT, ".cache", "facts"),
  });
  const changed = Object.values(result.counts).reduce((sum, counts) => sum + counts.changed, 0);
  if (result.exitCode !== 0 || changed > 0)
    throw new Error(`site.ts -i lab is not a no-op (exit ${result.exitCode}, ${changed} changed): converge it first`);
}

export async function siteNoop(runs: number): Promise<{ site: Summary; floor: Summary; hosts: number }> {
  const hosts = loadInventory(inventory, "lab").hosts;
  const converge = () => labNoop();
  const floor = () =>
    Promise.all(
      hosts.map(async (host) => {
        const transport = await labConnect(host);
        await transport.exec("true");
        await transport.close();
      }),
    );
  // Alternated run by run, so a change of machine load shifts both columns alike and the ratio stays fair.
  await converge();
  await floor();
  const times = { site: [] as number[], floor: [] as number[] };
  for (let index = 0; index < runs; index++) {
    times.floor.push(await timed(floor));
    times.site.push(await timed(converge));
  }
  return { site: summarise(times.site), floor: summarise(times.floor), hosts: hosts.length };
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}
