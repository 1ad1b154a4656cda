// Each host goes through its plays on its own: it starts a play once it is done with its earlier plays and every host
// of the plays that play needs is done with them (lib/runner/play-needs.ts, read before any connection). A play whose need did not complete on
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
  /** Each play's needs as play indexes (playNeeds, checked before any connection). */
  needs: number[][];
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

/** Every host through its plays, each play once the plays it needs are done. */
export async function runHostChains(context: ChainsContext): Promise<void> {
  await new HostChains(context).run();
}

/** A play's outcomes so far, and a promise kept once every host of the play has one. */
interface PlayProgress {
  outcomes: Map<string, PlayOutcome>;
  finished: Promise<void>;
  finish: () => void;
  /** Set once a host of a serial play did not complete it: the hosts after it skip the play. */
  serialStopped: boolean;
  announced: boolean;
}

/** A play with no outcomes yet. */
function playProgress(): PlayProgress {
  let finish = () => {};
  const finished = new Promise<void>((done) => {
    finish = done;
  });
  return { outcomes: new Map(), finished, finish, serialStopped: false, announced: false };
}

/** The hosts' chains of plays, and what each play has done so far. */
class HostChains {
  private readonly needs: number[][];
  private readonly progress: PlayProgress[];
  private readonly forks: ReturnType<typeof limiter>;
  private readonly serials: ReturnType<typeof limiter>[];
  /** The pre-probe holds while no play changed anything anywhere. */
  private worldUnchanged = true;

  constructor(private readonly context: ChainsContext) {
    this.needs = context.needs;
    this.progress = context.playHosts.map(playProgress);
    context.playHosts.forEach((hosts, index) => hosts.length === 0 && this.progress[index]!.finish());
    this.forks = limiter(context.forks);
    this.serials = context.playbook.plays.map((play) => limiter(play.serial ?? Infinity));
  }

  /** Every host's chain, all at once. */
  async run(): Promise<void> {
    await Promise.all([...this.context.runs.values()].map((run) => this.chain(run)));
  }

  /** One host through its plays, each once what it needs is done. */
  private async chain(run: HostRun): Promise<void> {
    const { playbook, playHosts } = this.context;
    let stopped: string | undefined;
    for (const [index, hosts] of playHosts.entries()) {
      if (!hosts.includes(run.host.name)) continue;
      await Promise.all(this.needs[index]!.map((need) => this.progress[need]!.finished));
      if (run.state !== "ok") {
        this.record(index, run.host.name, run.state);
        continue;
      }
      const blocked = stopped ?? this.unmetNeed(index);
      if (blocked) {
        this.record(index, run.host.name, this.skip(run, index, blocked));
        stopped ??= `an earlier play of this host ("${playbook.plays[index]!.name}") was skipped`;
        continue;
      }
      const outcome = await this.serials[index]!(() => this.forks(() => this.runPlay(run, index)));
      // In check mode nothing is applied, so the pre-probe stays true for the later plays.
      if (!this.context.check && outcome !== "converged") this.worldUnchanged = false;
      this.record(index, run.host.name, outcome);
    }
  }

  /** A host's outcome of play `index`; the play is finished once every host of it has one. */
  private record(index: number, host: string, outcome: PlayOutcome): void {
    const progress = this.progress[index]!;
    progress.outcomes.set(host, outcome);
    if (progress.outcomes.size === this.context.playHosts[index]!.length) progress.finish();
  }

  /**
   * Why play `index` cannot run: the first host of a play it names in `needs` that did not complete it. A play that
   * names none waits for the plays above it but, as in a plain playbook, runs whatever they did elsewhere.
   */
  private unmetNeed(index: number): string | undefined {
    const { plays } = this.context.playbook;
    if (plays[index]!.needs === undefined) return undefined;
    for (const need of this.needs[index]!) {
      for (const [host, outcome] of this.progress[need]!.outcomes) {
        if (outcome === "failed" || outcome === "unreachable" || outcome === "skipped")
          return `needs play "${plays[need]!.name}", which did not complete on ${host} (${outcome})`;
      }
    }
    return undefined;
  }

  /** Play `index` on one host, announced with the first of its hosts; a serial play stops at its first failing host. */
  private async runPlay(run: HostRun, index: number): Promise<PlayOutcome> {
    const { playbook, playHosts, runs, reporter } = this.context;
    const play = playbook.plays[index]!;
    const progress = this.progress[index]!;
    if (progress.serialStopped) return this.skip(run, index, "an earlier host of this serial play failed");
    if (!progress.announced) {
      progress.announced = true;
      reporter.emit({
        type: "play",
        play: play.name,
        hosts: playHosts[index]!.filter((name) => runs.get(name)!.state === "ok"),
      });
    }
    let outcome: PlayOutcome;
    try {
      const probed = this.worldUnchanged ? run.probed.get(index) : undefined;
      outcome = await runHostPlay(
        run.session!,
        run.work.get(index)!,
        { play: play.name, check: this.context.check, diff: this.context.diff },
        probed,
      );
      if (outcome === "failed") run.state = "failed";
    } catch (error) {
      this.context.hostError(run, play.name, error);
      outcome = run.state === "unreachable" ? "unreachable" : "failed";
    }
    // Set before this host's serial slot passes to the next one.
    if (outcome !== "converged" && outcome !== "changed" && play.serial !== undefined) progress.serialStopped = true;
    return outcome;
  }

  /** Report play `index` skipped on this host, and why. */
  private skip(run: HostRun, index: number, why: string): "skipped" {
    this.context.reporter.emit({
      type: "task",
      play: this.context.playbook.plays[index]!.name,
      host: run.host.name,
      id: "play",
      status: "skipped",
      message: why,
      startedAt: Date.now(),
      durationMs: 0,
    });
    return "skipped";
  }
}
