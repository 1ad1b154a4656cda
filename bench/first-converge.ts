// First converge of the whole lab from reset hosts (the apt proxy warm), as typed, with each host's busy time from the
// run's host-play events; alternated run by run with its floor: the same hosts' packages installed alone, one
// apt-get per host (after the same cache refresh), all hosts at once.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { reset } from "../lab/lab.ts";
import { rootCommand } from "../lab/machine.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { capture } from "../lab/run-command.ts";
import { labHosts } from "../lab/topology.ts";
import type { RunEvent } from "../lib/report/events.ts";
import { summarise, type Summary } from "./stats.ts";

export interface FirstConvergeResult {
  command: string;
  hosts: number;
  converge: Summary;
  floor: Summary;
  /** Median busy time (inside its plays) per host. */
  busy: Record<string, number>;
  /** What each host installed (the floor installs the same). */
  packages: Record<string, string[]>;
}

const COMMAND = ["bin/foobar-infra", "site", "-i", "lab", "--json"];

function convergeOnce(): { wallMs: number; events: RunEvent[] } {
  const started = performance.now();
  const result = spawnSync(join(REPO_ROOT, COMMAND[0]!), COMMAND.slice(1), {
    cwd: REPO_ROOT,
    encoding: "utf8",
    maxBuffer: 512 * 1024 * 1024,
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0)
    throw new Error(
      `first converge failed (exit ${result.status}):\n${result.stdout.slice(-2000)}${result.stderr.slice(-2000)}`,
    );
  return {
    wallMs,
    events: result.stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as RunEvent),
  };
}

/** The packages each host installed, from the converge's changed package tasks ("package:a,b,c"). */
function installed(events: RunEvent[]): Record<string, string[]> {
  const packages: Record<string, string[]> = {};
  for (const event of events) {
    if (event.type === "task" && event.status === "changed" && event.id.startsWith("package:")) {
      packages[event.host] = [...(packages[event.host] ?? []), ...event.id.slice("package:".length).split(",")];
    }
  }
  return packages;
}

/** Every host's packages in one apt-get each (cache refreshed first, as the converge does on a fresh host), all at once. */
async function floorOnce(packages: Record<string, string[]>): Promise<number> {
  const started = performance.now();
  await Promise.all(
    labHosts()
      .filter((host) => packages[host.name])
      .map(async (host) => {
        const apt = "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300";
        const { args, input } = rootCommand(
          host,
          `${apt} update >/dev/null && ${apt} --no-install-recommends install ${packages[host.name]!.join(" ")} >/dev/null`,
        );
        const result = await capture("ssh", args, { input });
        if (result.code !== 0)
          throw new Error(`floor on ${host.name} failed (exit ${result.code}): ${result.stderr.slice(-1000)}`);
      }),
  );
  return performance.now() - started;
}

export async function firstConverge(runs: number): Promise<FirstConvergeResult> {
  const names = labHosts().map((host) => host.name);
  const converges: number[] = [];
  const floors: number[] = [];
  const busy: Record<string, number[]> = {};
  let packages: Record<string, string[]> = {};
  for (let run = 0; run < runs; run++) {
    await reset(names, () => undefined);
    const { wallMs, events } = convergeOnce();
    converges.push(wallMs);
    packages = installed(events);
    for (const event of events) {
      if (event.type !== "host-play") continue;
      busy[event.host] ??= [];
      busy[event.host]![run] = (busy[event.host]![run] ?? 0) + event.durationMs;
    }
    await reset(names, () => undefined);
    floors.push(await floorOnce(packages));
  }
  const median = (values: number[]) => summarise(values).median;
  return {
    command: COMMAND.slice(0, -1).join(" "),
    hosts: names.length,
    converge: summarise(converges),
    floor: summarise(floors),
    busy: Object.fromEntries(Object.entries(busy).map(([host, values]) => [host, median(values)])),
    packages,
  };
}
