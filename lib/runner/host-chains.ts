// Each host goes through its plays on its own: it starts a play once it is done with its earlier plays and every host
// of the plays that play needs is done with them (lib/runner/play-needs.ts). A play whose need did not complete on
// some host is skipped on this host, naming that host, and so are the host's later plays; --forks bounds the hosts
// at work at once, `serial` the hosts in one play.
import type { HostFacts } from "../facts/host.ts";
import type { Host } from "../inventory/types.ts";
import type { Playbook } from "../dsl/playbook.ts";
import type { Reporter } from "../report/events.ts";
import { limiter } from "./concurrency.ts";
import { runHostPlay, type HostOutcome } from "./host-play.ts";
import type { HostSession } from "./host-session.ts";
import type { HostWork } from "./plan.ts";
import { playNeeds } from "./play-needs.ts";
import type { Section } from "./script.ts";

export interface HostRun {
  host: Host;
  session?: HostSession;
  facts?: HostFacts;
  /** Work per play index (absent when the host is not in that play). */
  work: Map<number, HostWork>;
  /** Pre-probe results per play index, valid while nothing anywhere has changed. */
  probed: Map<number, Section[]>;
  state: "ok" | "failed" | "unreachable";
}

type PlayOutcome = HostOutcome | "skipped" | "unreachable";

export interface ChainsContext {
  playbook: Playbook;
  /** The hosts of each play, by play index. */
  playHosts: string[][];
  runs: Map<string, HostRun>;
  check: boolean;
  diff: boolean;
  forks: number;
  reporter: Reporter;
  /** Reports an error thrown while a host worked on a play (the host is then failed or unreachable). */
  hostError: (run: HostRun, play: string, error: unknown) => void;
}

export async function runHostChains(context: ChainsContext): Promise<void> {
  const { playbook, playHosts, runs, reporter } = context;
  const needs = playNeeds(playbook);
  const outcomes = playHosts.map(() => new Map<string, PlayOutcome>());
  const finished = playHosts.map(() => {
    let resolve = () => {};
    const promise = new Promise<void>((done) => (resolve = done));
    return { promise, resolve };
  });
  playHosts.forEach((hosts, index) => hosts.length === 0 && finished[index]!.resolve());
  const record = (index: number, host: string, outcome: PlayOutcome) => {
    outcomes[index]!.set(host, outcome);
    if (outcomes[index]!.size === playHosts[index]!.length) finished[index]!.resolve();
  };
  const forks = limiter(context.forks);
  const serials = playbook.plays.map((play) => limiter(play.serial ?? Infinity));
  const serialStopped = playbook.plays.map(() => false);
  const announced = playbook.plays.map(() => false);
  let worldUnchanged = true;

  /**
   * Why play `index` cannot run: the first host of a play it names in `needs` that did not complete it. A play that
   * names none waits for the plays above it but, as in a plain playbook, runs whatever they did elsewhere.
   */
  const unmetNeed = (index: number): string | undefined => {
    if (playbook.plays[index]!.needs === undefined) return undefined;
    for (const need of needs[index]!) {
      for (const [host, outcome] of outcomes[need]!) {
        if (outcome === "failed" || outcome === "unreachable" || outcome === "skipped") return `needs play "${playbook.plays[need]!.name}", which did not complete on ${host} (${outcome})`;
      }
    }
    return undefined;
  };

  const runPlay = async (run: HostRun, index: number): Promise<PlayOutcome> => {
    const play = playbook.plays[index]!;
    if (serialStopped[index]) return skip(run, index, "an earlier host of this serial play failed");
    if (!announced[index]) {
      announced[index] = true;
      reporter.emit({ type: "play", play: play.name, hosts: playHosts[index]!.filter((name) => runs.get(name)!.state === "ok") });
    }
    let outcome: PlayOutcome;
    try {
      const probed = worldUnchanged ? run.probed.get(index) : undefined;
      outcome = await runHostPlay(run.session!, run.work.get(index)!, { play: play.name, check: context.check, diff: context.diff }, probed);
      if (outcome === "failed") run.state = "failed";
    } catch (error) {
      context.hostError(run, play.name, error);
      outcome = run.state === "unreachable" ? "unreachable" : "failed";
    }
    // Set before this host's serial slot passes to the next one.
    if (outcome !== "converged" && outcome !== "changed" && play.serial !== undefined) serialStopped[index] = true;
    return outcome;
  };

  const skip = (run: HostRun, index: number, why: string): "skipped" => {
    reporter.emit({ type: "task", play: playbook.plays[index]!.name, host: run.host.name, id: "play", status: "skipped", message: why });
    return "skipped";
  };

  await Promise.all([...runs.values()].map(async (run) => {
    let stopped: string | undefined;
    for (const [index, hosts] of playHosts.entries()) {
      if (!hosts.includes(run.host.name)) continue;
      await Promise.all(needs[index]!.map((need) => finished[need]!.promise));
      if (run.state !== "ok") {
        record(index, run.host.name, run.state);
        continue;
      }
      const blocked = stopped ?? unmetNeed(index);
      if (blocked) {
        record(index, run.host.name, skip(run, index, blocked));
        stopped ??= `an earlier play of this host ("${playbook.plays[index]!.name}") was skipped`;
        continue;
      }
      const outcome = await serials[index]!(() => forks(() => runPlay(run, index)));
      // In check mode nothing is applied, so the pre-probe stays true for the later plays.
      if (!context.check && outcome !== "converged") worldUnchanged = false;
      record(index, run.host.name, outcome);
    }
  }));
}
