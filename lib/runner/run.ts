// Run a playbook: validate everything, connect with one batched pre-probe per host (gather.ts), each host through its
// plays (host-chains.ts), recap.
import { UnreachableError } from "../connection/transport.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { loadInventory } from "../inventory/load.ts";
import { emptyCounts, fanOut, type Counts, type Reporter } from "../report/events.ts";
import { RunMetricsRecorder } from "../report/run-metrics.ts";
import { resolveBecomePasswords } from "../secrets/become.ts";
import { openSecretStore } from "../secrets/store.ts";
import { gatherHosts } from "./gather.ts";
import { runHostChains, type HostRun } from "./host-chains.ts";
import type { HostSession } from "./host-session.ts";
import { releaseScript, runLock, type RunLock } from "./host-lock.ts";
import { applyLimit } from "./limit.ts";
import { planPlays } from "./plan.ts";
import { playNeeds } from "./play-needs.ts";
import { MetricsPublisher } from "./publish-metrics.ts";
import { checkSelection, checkVarNamespaces } from "./selection.ts";
import type { RunOptions } from "./run-options.ts";
import { validVarsMemo } from "./valid-vars-memo.ts";

export interface RunResult {
  exitCode: number;
  counts: Record<string, Counts>;
}

/** Exit codes: 0 converged, 1 a task failed, 2 --check found drift, 3 a host unreachable, 4 invalid input. */
function exitCode(counts: Record<string, Counts>, check: boolean): number {
  const all = Object.values(counts);
  if (all.some((item) => item.failed)) return 1;
  if (all.some((item) => item.unreachable)) return 3;
  if (check && all.some((item) => item.changed)) return 2;
  return 0;
}

/** Validate, gather every host, run each host through its plays, recap: the run's exit code and each host's counts. */
export async function runPlaybook(playbook: Playbook, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const { inventory, plays, needs } = await validateRun(playbook, options);
  const runs = new Map<string, HostRun>();
  for (const hostPlay of plays.flat())
    runs.set(hostPlay.host.name, { host: hostPlay.host, work: new Map(), probed: new Map(), state: "ok" });
  const counts: Record<string, Counts> = Object.fromEntries([...runs.keys()].map((name) => [name, emptyCounts()]));
  const publishing = inventory.runMetrics && (!options.check || options.publishCheck);
  const metrics = publishing ? new RunMetricsRecorder() : undefined;
  const publisher = publishing ? new MetricsPublisher(inventory, options.connect) : undefined;
  const reporter = countingReporter(metrics ? fanOut(options.reporter, metrics) : options.reporter, counts);
  reporter.emit({
    type: "start",
    playbook: playbook.name,
    environment: inventory.environment,
    hosts: [...runs.keys()],
    check: options.check,
    hostPlays: playsPerHost(plays.flat().map((hostPlay) => hostPlay.host.name)),
  });
  const hostError = hostErrorReporter(reporter);
  try {
    // Taken before the first change on each host (lib/runner/host-lock.ts); --check changes nothing and takes none.
    const lock = options.check ? undefined : (options.heldLock ?? runLock(playbook.name));
    const probed = (session: HostSession) => publisher?.probed(session);
    await gatherHosts({ runs, plays, inventory, options, reporter, hostError, lock, probed });
    await runHostChains({
      playbook,
      needs,
      playHosts: plays.map((hostPlays) => hostPlays.map((item) => item.host.name)),
      runs,
      check: options.check,
      diff: options.diff,
      forks: options.forks,
      reporter,
      hostError,
    });
    if (metrics && publisher) {
      const now = Math.round(Date.now() / 1000);
      const files = options.check ? metrics.checkFiles(now) : metrics.convergeFiles(now);
      const error = await publisher.publish(runs, files);
      reporter.emit({
        type: "metrics",
        host: inventory.runMetrics!.host,
        files: files.length,
        ...(error ? { error } : {}),
      });
    }
  } finally {
    publisher?.end();
    await closeSessions(runs, options.heldLock);
  }
  const code = exitCode(counts, options.check);
  reporter.emit({
    type: "recap",
    hosts: counts,
    durationMs: Math.round(performance.now() - started),
    exitCode: code,
    check: options.check,
  });
  reporter.close();
  return { exitCode: code, counts };
}

/**
 * Everything checked before any connection: the inventory and limit, the plays' needs, the secrets, every role's vars
 * and templates (planPlays), and the become passwords of the hosts selected.
 */
async function validateRun(playbook: Playbook, options: RunOptions) {
  const inventory = loadInventory(options.inventory, options.environment);
  const selected = applyLimit(inventory, options.limit);
  const needs = playNeeds(playbook);
  const secrets = await openSecretStore({
    file: inventory.secretsFile,
    repoRoot: options.repoRoot,
    environment: inventory.environment,
    generate: inventory.generateSecrets,
  });
  const validVars = validVarsMemo(options.factsDir, inventory.environment);
  checkVarNamespaces(playbook, inventory, options.knownRoles);
  const plays = planPlays(playbook, inventory, selected, secrets, validVars);
  checkSelection(playbook, plays, options);
  // The metrics host is logged in to even when the limit leaves it out (lib/runner/publish-metrics.ts).
  resolveBecomePasswords(
    inventory.hosts.filter((host) => selected.has(host.name) || host.name === inventory.runMetrics?.host),
    secrets,
  );
  validVars.save();
  return { inventory, plays, needs };
}

/** How many plays each host has: its name once per play it is in. */
function playsPerHost(names: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** The run's reporter: counts each host's task results and unreachability on the way to `reporter`. */
function countingReporter(reporter: Reporter, counts: Record<string, Counts>): Reporter {
  return {
    emit(event) {
      if (event.type === "task") counts[event.host]![event.status]++;
      if (event.type === "unreachable") counts[event.host]!.unreachable++;
      reporter.emit(event);
    },
    close: () => reporter.close(),
  };
}

/** Reports an error thrown while a host worked on a play: the host is then unreachable or failed. */
function hostErrorReporter(reporter: Reporter) {
  return (run: HostRun, play: string, error: unknown) => {
    if (error instanceof UnreachableError) {
      run.state = "unreachable";
      reporter.emit({ type: "unreachable", host: run.host.name, message: error.message });
    } else {
      run.state = "failed";
      reporter.emit({
        type: "task",
        play,
        host: run.host.name,
        id: "exec",
        status: "failed",
        message: (error as Error).message,
        startedAt: Date.now(),
        durationMs: 0,
      });
    }
  };
}

/**
 * Each host's memo saved and its login closed; a login kept for the next run (--persist) first ends this run's lock
 * holder, unless the lock is `kept`: the command this run is a step of holds it and ends it.
 */
function closeSessions(runs: Map<string, HostRun>, kept: RunLock | undefined) {
  return Promise.all(
    [...runs.values()].map(async (run) => {
      run.session?.memo.save();
      const session = run.session;
      if (session?.lock?.held && session.lock.run !== kept && session.transport.outlivesRun) {
        await session.transport
          .exec(session.login.command, {
            stdin: session.login.stdinPrefix + releaseScript(session.lock.run),
            timeoutMs: 15_000,
          })
          .catch(() => undefined);
      }
      return session?.transport.close();
    }),
  );
}
