// Run a playbook: validate everything, connect, one batched pre-probe per host, each host through its plays (host-chains.ts)
// with its packages in one transaction (install-ahead.ts), recap.
import type { Transport } from "../connection/transport.ts";
import { UnreachableError } from "../connection/transport.ts";
import { becomeExec } from "../connection/become.ts";
import { resolveBecomePasswords } from "../secrets/become.ts";
import { hostFactsProbe, parseHostFacts, type HostFacts } from "../facts/host.ts";
import { lockStateProbe, parseLockState } from "../facts/lock-state.ts";
import type { Probe } from "../facts/probe.ts";
import { ProbeMemo } from "../facts/probe-memo.ts";
import { InputError } from "../errors.ts";
import { loadInventory } from "../inventory/load.ts";
import type { Host, InventorySpec } from "../inventory/types.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { emptyCounts, type Counts, type Reporter } from "../report/events.ts";
import { openSecretStore } from "../secrets/store.ts";
import { mapLimit } from "./concurrency.ts";
import { factsCache, sameFacts } from "./facts-cache.ts";
import { runHostChains, type HostRun } from "./host-chains.ts";
import { execScript } from "./host-session.ts";
import { releaseScript, runLock } from "./host-lock.ts";
import { installAhead } from "./install-ahead.ts";
import { applyLimit } from "./limit.ts";
import { buildHostWork, planPlays } from "./plan.ts";
import type { RunChoices } from "./run-choices.ts";
import { validVarsMemo } from "./valid-vars-memo.ts";

export type Connector = (host: Host) => Promise<Transport>;

/** The run's choices (the command line's) and what it runs with. */
export interface RunOptions extends RunChoices {
  inventory: InventorySpec;
  reporter: Reporter;
  connect: Connector;
  /** A genuinely new login (a safety check after a firewall or sshd change must not ride a reused connection); default: connect. */
  connectFresh?: Connector;
  repoRoot: string;
  /** Where host facts are cached between runs (null: memory only). */
  factsDir: string | null;
}

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

export async function runPlaybook(playbook: Playbook, options: RunOptions): Promise<RunResult> {
  const started = performance.now();
  const inventory = loadInventory(options.inventory, options.environment);
  const selected = applyLimit(inventory, options.limit);
  const secrets = await openSecretStore({ file: inventory.secretsFile, repoRoot: options.repoRoot, environment: inventory.environment, generate: inventory.generateSecrets });
  const validVars = validVarsMemo(options.factsDir, inventory.environment);
  const plays = planPlays(playbook, inventory, selected, secrets, validVars);
  resolveBecomePasswords(inventory.hosts.filter((host) => selected.has(host.name)), secrets);
  validVars.save();
  const cache = factsCache(options.factsDir, inventory.environment);
  const runs = new Map<string, HostRun>();
  for (const hostPlay of plays.flat()) runs.set(hostPlay.host.name, { host: hostPlay.host, work: new Map(), probed: new Map(), state: "ok" });
  const counts: Record<string, Counts> = Object.fromEntries([...runs.keys()].map((name) => [name, emptyCounts()]));
  const reporter: Reporter = {
    emit(event) {
      if (event.type === "task") counts[event.host]![event.status]++;
      if (event.type === "unreachable") counts[event.host]!.unreachable++;
      options.reporter.emit(event);
    },
    close: () => options.reporter.close(),
  };
  reporter.emit({ type: "start", playbook: playbook.name, environment: inventory.environment, hosts: [...runs.keys()], check: options.check });
  const build = (run: HostRun, facts: HostFacts) => {
    plays.forEach((hostPlays, index) => {
      const hostPlay = hostPlays.find((item) => item.host.name === run.host.name);
      if (hostPlay) run.work.set(index, buildHostWork(hostPlay, facts, inventory, options, () => checkNewConnection(run.host)));
    });
    installAhead([...run.work.values()]);
  };
  const checkNewConnection = async (host: Host) => {
    const transport = await (options.connectFresh ?? options.connect)(host);
    try {
      const result = await transport.exec("true", { timeoutMs: 15_000 });
      if (result.code !== 0) throw new Error(`${host.name}: a new connection could not run \`true\` (exit ${result.code})`);
    } finally {
      await transport.close();
    }
  };
  const hostError = (run: HostRun, play: string, error: unknown) => {
    if (error instanceof UnreachableError) {
      run.state = "unreachable";
      reporter.emit({ type: "unreachable", host: run.host.name, message: error.message });
    } else {
      run.state = "failed";
      reporter.emit({ type: "task", play, host: run.host.name, id: "exec", status: "failed", message: (error as Error).message });
    }
  };
  // Taken before the first change on each host (lib/runner/host-lock.ts); --check changes nothing and takes none.
  const lock = options.check ? undefined : runLock(playbook.name);
  const closeAll = () => Promise.all([...runs.values()].map(async (run) => {
    run.session?.memo.save();
    const session = run.session;
    // A login kept for the next run (--persist) would keep this run's lock holder alive: it is ended here.
    if (session?.lock?.held && session.transport.outlivesRun) {
      await session.transport.exec(session.login.command, { stdin: session.login.stdinPrefix + releaseScript(session.lock.run), timeoutMs: 15_000 }).catch(() => undefined);
    }
    return session?.transport.close();
  }));

  const inputErrors: InputError[] = [];
  await mapLimit([...runs.values()], options.forks, async (run) => {
    const startedAt = Date.now();
    try {
      const transport = await options.connect(run.host);
      const memo = ProbeMemo.forHost(options.factsDir, inventory.environment, run.host.name);
      run.session = {
        host: run.host.name, transport, login: becomeExec(run.host), reporter, timeoutMs: (options.timeoutSeconds ?? 900) * 1000, memo,
        lock: lock && { run: lock, held: false, noWait: options.noWait ?? false },
      };
      // Built from cached facts once this host is logged in, so the pre-probe below is the only round trip of a no-op
      // run (and one host's build does not hold up the others' logins on the event loop).
      run.facts = cache.get(run.host.name);
      if (run.facts) build(run, run.facts);
      else {
        const gathered = parseHostFacts((await execScript(run.session, [], [hostFactsProbe])).probes[0]!.output);
        cache.set(run.host.name, gathered);
        run.facts = gathered;
        build(run, gathered);
      }
      const playIndexes = [...run.work.keys()];
      const lockState = run.session.lock ? [lockStateProbe] : [];
      const probes: Probe[] = [hostFactsProbe, ...lockState, ...playIndexes.flatMap((index) => run.work.get(index)!.resources.map((resource) => resource.probe({ diff: options.diff })))];
      const sections = (await execScript(run.session, [], probes)).probes;
      if (run.session.lock) run.session.lock.lastBeforeProbe = parseLockState(sections[1]!.output);
      const facts = parseHostFacts(sections[0]!.output);
      if (!sameFacts(run.facts, facts)) {
        cache.set(run.host.name, facts);
        run.facts = facts;
        build(run, facts);
        return;
      }
      let offset = 1 + lockState.length;
      for (const index of playIndexes) {
        const size = run.work.get(index)!.resources.length;
        run.probed.set(index, sections.slice(offset, offset + size));
        offset += size;
      }
    } catch (error) {
      if (error instanceof InputError) inputErrors.push(error);
      else hostError(run, "gather facts", error);
    } finally {
      reporter.emit({ type: "host-play", play: "gather facts", host: run.host.name, startedAt, durationMs: Date.now() - startedAt });
    }
  });
  if (inputErrors.length) {
    await closeAll();
    throw new InputError(inputErrors.flatMap((error) => error.problems));
  }

  try {
    await runHostChains({
      playbook, playHosts: plays.map((hostPlays) => hostPlays.map((item) => item.host.name)), runs,
      check: options.check, diff: options.diff, forks: options.forks, reporter, hostError,
    });
  } finally {
    await closeAll();
  }
  const code = exitCode(counts, options.check);
  reporter.emit({ type: "recap", hosts: counts, durationMs: Math.round(performance.now() - started), exitCode: code, check: options.check });
  reporter.close();
  return { exitCode: code, counts };
}
