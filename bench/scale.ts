// Scale: the 30-resource playbook on N loopback SSH hosts — first run and no-op in-process, then the no-op as typed
// (a whole `bin/foobar-infra` process) alternated with an OpenSSH floor, and the in-process ssh2 floor.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sshConnector } from "../lib/cli/connector.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import type { RunEvent } from "../lib/report/events.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { tool } from "../lab/requirements.ts";
import { startLoopbackHosts } from "./loopback-hosts.ts";
import { scalePlaybook } from "./playbooks/scale.ts";
import { summarise, timeRuns, type Summary } from "./stats.ts";
import { measuredRun, sshTrueEverywhere, timedRun } from "./whole-process.ts";

/** Prints nothing; keeps what made hosts unreachable or failed, for the error of a run that should not have. */
function quietReporter() {
  const problems: string[] = [];
  return {
    problems,
    emit(event: RunEvent) {
      if (event.type === "unreachable") problems.push(event.message);
      if (event.type === "task" && event.status === "failed")
        problems.push(`${event.host}: ${event.message ?? event.id}`);
    },
    close() {},
  };
}
const connect = sshConnector({ acceptNewHostKeys: false, timeoutSeconds: 120 });

export interface ScaleResult {
  hosts: number;
  firstRunMs: number;
  noop: Summary;
  floor: Summary;
  /** The no-op as a user types it, a new process each run (wall, and the controller CPU it used), and `ssh HOST true`
   *  to every host from a shell script, alternated. */
  asTyped: { command: string; run: Summary; cpu: Summary; opensshFloor: Summary };
}

/** `runs` in-process runs of each kind, and `pairs` alternated pairs of the no-op as typed and its OpenSSH floor. */
export async function scale(count: number, runs: number, pairs: number): Promise<ScaleResult> {
  const hosts = await startLoopbackHosts(count);
  const factsDir = mkdtempSync(join(tmpdir(), "bench-scale-facts-"));
  try {
    const converge = async (expectChanges: boolean) => {
      const reporter = quietReporter();
      const result = await runPlaybook(scalePlaybook, {
        inventory: hosts.inventory,
        environment: "bench",
        check: false,
        diff: false,
        forks: count,
        reporter,
        connect,
        connectFresh: connect,
        repoRoot: REPO_ROOT,
        factsDir,
      });
      const changed = Object.values(result.counts).reduce((sum, counts) => sum + counts.changed, 0);
      if (result.exitCode !== 0 || (expectChanges ? changed !== count * 30 : changed !== 0))
        throw new Error(
          `scale run on ${count} hosts: exit ${result.exitCode}, ${changed} changed; ${reporter.problems.length} problems, first: ${reporter.problems.slice(0, 3).join(" | ")}`,
        );
    };
    const started = performance.now();
    await converge(true);
    const firstRunMs = performance.now() - started;
    const noop = await timeRuns(runs, () => converge(false), 1);
    const loaded = loadInventory(hosts.inventory, "bench");
    const floor = await timeRuns(
      runs,
      () =>
        Promise.all(
          loaded.hosts.map(async (host) => {
            const transport = await connect(host);
            await transport.exec("true");
            await transport.close();
          }),
        ),
      1,
    );
    const { user, key, knownHosts, port } = loaded.hosts[0]!.ssh;
    const ssh = [
      tool("ssh"),
      "-F",
      "/dev/null",
      "-i",
      key!,
      "-o",
      "IdentitiesOnly=yes",
      "-o",
      `UserKnownHostsFile=${knownHosts}`,
      "-o",
      "BatchMode=yes",
      "-p",
      String(port),
      "-l",
      user,
    ];
    const opensshFloor = sshTrueEverywhere(
      ssh,
      loaded.hosts.map((host) => host.address),
    );
    const command = ["bin/foobar-infra", "bench/playbooks/scale.ts", "-i", "bench", "-f", String(count)];
    const env = { ...process.env, FOOBAR_BENCH_HOSTS: String(count) };
    timedRun(command, env); // warm-up: the bundle, and the facts cache of the command's own runs
    const times = { run: [] as number[], cpu: [] as number[], openssh: [] as number[] };
    for (let index = 0; index < pairs; index++) {
      times.openssh.push(timedRun(opensshFloor, env));
      const measured = measuredRun(command, env);
      times.run.push(measured.wallMs);
      times.cpu.push(measured.cpuMs);
    }
    return {
      hosts: count,
      firstRunMs,
      noop,
      floor,
      asTyped: {
        command: `FOOBAR_BENCH_HOSTS=${count} ${command.join(" ")}`,
        run: summarise(times.run),
        cpu: summarise(times.cpu),
        opensshFloor: summarise(times.openssh),
      },
    };
  } finally {
    rmSync(factsDir, { recursive: true, force: true });
    await hosts.stop();
  }
}
