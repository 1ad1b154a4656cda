// Each host logged in, its work built from its facts (cached, or gathered first), and every play of it probed in one
// exec: for a no-op, that exec is the run's only round trip to the host.
import { becomeExec } from "../connection/become.ts";
import { InputError } from "../errors.ts";
import { hostFactsProbe, parseHostFacts, type HostFacts } from "../facts/host.ts";
import { lockStateProbe, parseLockState } from "../facts/lock-state.ts";
import type { Probe } from "../facts/probe.ts";
import { ProbeMemo } from "../facts/probe-memo.ts";
import type { Host, Inventory } from "../inventory/types.ts";
import type { Reporter } from "../report/events.ts";
import { mapLimit } from "./concurrency.ts";
import { factsCache, sameFacts, type FactsCache } from "./facts-cache.ts";
import type { ChainsContext, HostRun } from "./host-chains.ts";
import type { RunLock } from "./host-lock.ts";
import { execScript, type HostSession } from "./host-session.ts";
import { installAhead } from "./install-ahead.ts";
import { buildHostWork, type planPlays } from "./plan.ts";
import type { RunOptions } from "./run-options.ts";

export interface Gathering {
  runs: Map<string, HostRun>;
  plays: ReturnType<typeof planPlays>;
  inventory: Inventory;
  options: RunOptions;
  reporter: Reporter;
  hostError: ChainsContext["hostError"];
  /** This run's converge lock (absent in --check). */
  lock?: RunLock;
  /** Told of each host's session once its pre-probe exec is done, the login proven (the metrics publisher opens its
   *  shell then: an exec beside the first one could race an OpenSSH login to become the master). */
  probed?: (session: HostSession) => void;
}

/** Gather every host (--forks at a time); the role errors found while building any host's work are one InputError. */
export async function gatherHosts(gathering: Gathering): Promise<void> {
  const cache = factsCache(gathering.options.factsDir, gathering.inventory.environment);
  const inputErrors: InputError[] = [];
  await mapLimit([...gathering.runs.values()], gathering.options.forks, async (run) => {
    const startedAt = Date.now();
    try {
      await gatherHost(run, gathering, cache);
    } catch (error) {
      if (error instanceof InputError) inputErrors.push(error);
      else gathering.hostError(run, "gather facts", error);
    } finally {
      gathering.reporter.emit({
        type: "host-play",
        play: "gather facts",
        host: run.host.name,
        startedAt,
        durationMs: Date.now() - startedAt,
      });
    }
  });
  if (inputErrors.length) throw new InputError(inputErrors.flatMap((error) => error.problems));
}

/** One host logged in, its work built from its facts, and all of it pre-probed in one exec. */
async function gatherHost(run: HostRun, gathering: Gathering, cache: FactsCache): Promise<void> {
  const loggedIn = Object.assign(run, { session: await logIn(run.host, gathering) });
  await buildFromKnownFacts(loggedIn, gathering, cache);
  await preProbe(loggedIn, gathering, cache);
  gathering.probed?.(loggedIn.session);
}

/** A host's run once it is logged in. */
type LoggedIn = HostRun & { session: HostSession };

/** The host's session: its login, how it becomes root, its probe memo and its part of this run's lock. */
async function logIn(host: Host, { options, inventory, reporter, lock }: Gathering): Promise<HostSession> {
  const transport = await options.connect(host);
  const memo = ProbeMemo.forHost(options.factsDir, inventory.environment, host.name);
  return {
    host: host.name,
    transport,
    login: becomeExec(host),
    reporter,
    timeoutMs: (options.timeoutSeconds ?? 900) * 1000,
    memo,
    lock: lock && { run: lock, held: false, noWait: options.noWait ?? false },
  };
}

/**
 * The host's work built from its cached facts, or from facts gathered first. Built once the host is logged in, so the
 * pre-probe is the only round trip of a no-op run (and one host's build does not hold up the others' logins on the
 * event loop). Cached facts a role refuses may be stale (a host rebuilt with another address): the host's facts are
 * then gathered, and only a refusal of those is the run's input error.
 */
async function buildFromKnownFacts(run: LoggedIn, gathering: Gathering, cache: FactsCache): Promise<void> {
  const cached = cache.get(run.host.name);
  if (cached) {
    try {
      run.facts = cached;
      buildWork(run, cached, gathering);
      return;
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      run.work.clear();
    }
  }
  const gathered = parseHostFacts((await execScript(run.session, [], [hostFactsProbe])).probes[0]!.output);
  cache.set(run.host.name, gathered);
  run.facts = gathered;
  buildWork(run, gathered, gathering);
}

/**
 * One exec probes the host's facts, who locked it last and every resource of its plays; the answers are kept per play,
 * unless the facts changed since they were cached: then the work is built anew and each play probes for itself.
 */
async function preProbe(run: LoggedIn, gathering: Gathering, cache: FactsCache): Promise<void> {
  const { options } = gathering;
  const playIndexes = [...run.work.keys()];
  const lockState = run.session.lock ? [lockStateProbe] : [];
  const probes: Probe[] = [
    hostFactsProbe,
    ...lockState,
    ...playIndexes.flatMap((index) =>
      run.work.get(index)!.resources.map((resource) => resource.probe({ diff: options.diff })),
    ),
  ];
  const sections = (await execScript(run.session, [], probes)).probes;
  if (run.session.lock) run.session.lock.lastBeforeProbe = parseLockState(sections[1]!.output);
  const facts = parseHostFacts(sections[0]!.output);
  if (!sameFacts(run.facts, facts)) {
    cache.set(run.host.name, facts);
    run.facts = facts;
    buildWork(run, facts, gathering);
    return;
  }
  let offset = 1 + lockState.length;
  for (const index of playIndexes) {
    const size = run.work.get(index)!.resources.length;
    run.probed.set(index, sections.slice(offset, offset + size));
    offset += size;
  }
}

/** The host's resources for each of its plays, its packages installed ahead in one transaction. */
function buildWork(run: HostRun, facts: HostFacts, { plays, inventory, options }: Gathering): void {
  plays.forEach((hostPlays, index) => {
    const hostPlay = hostPlays.find((item) => item.host.name === run.host.name);
    if (hostPlay)
      run.work.set(
        index,
        buildHostWork(hostPlay, facts, inventory, options, () => checkNewConnection(run.host, options)),
      );
  });
  installAhead([...run.work.values()]);
}

/** A genuinely new login runs `true` (a safety check after a firewall or sshd change must not ride a reused connection). */
async function checkNewConnection(host: Host, options: RunOptions): Promise<void> {
  const transport = await options.connectFresh(host);
  try {
    const result = await transport.exec("true", { timeoutMs: 15_000 });
    if (result.code !== 0)
      throw new Error(`${host.name}: a new connection could not run \`true\` (exit ${result.code})`);
  } finally {
    await transport.close();
  }
}
