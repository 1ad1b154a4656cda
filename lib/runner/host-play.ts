// Converge one play on one host: plan from probes, apply what differs (re-probing the rest in the same exec), run handlers.
import type { Change, ProbeContext, Resource } from "../resources/resource.ts";
import { lockStep, parseLock, type SessionLock } from "./host-lock.ts";
import { ExecError, execScript, type HostSession } from "./host-session.ts";
import type { HostWork } from "./plan.ts";
import type { Section } from "./script.ts";

export interface PlayOptions {
  play: string;
  check: boolean;
  diff: boolean;
}

export type HostOutcome = "converged" | "changed" | "failed";

/** Last lines of a step's output: the useful part of an error. */
function tail(output: string): string {
  const lines = output.trim().split("\n");
  return lines.slice(-15).join("\n") || "(no output)";
}

interface Planned {
  state: unknown;
  changes: Change[];
}

/** A resource's state from its probe's answer, and the changes that bring it to what it should be. */
function planOf(resource: Resource, section: Section, context: ProbeContext): Planned {
  const state = resource.parse(section.output, section.status);
  return { state, changes: resource.plan(state, context) };
}

/**
 * Converge `work` on one host. `probed` are the probe results of the resources if already
 * known (the run's pre-probe); otherwise one exec probes them all.
 */
export async function runHostPlay(
  session: HostSession,
  work: HostWork,
  options: PlayOptions,
  probed?: Section[],
): Promise<HostOutcome> {
  const startedAt = Date.now();
  try {
    return await new HostPlay(session, work, options).converge(probed);
  } finally {
    session.reporter.emit({
      type: "host-play",
      play: options.play,
      host: session.host,
      startedAt,
      durationMs: Date.now() - startedAt,
    });
  }
}

type TaskExtra = { changes?: Change[]; message?: string; handler?: boolean; startedAt?: number; durationMs?: number };
type ExecTime = { startedAt: number; durationMs: number };

/** Start and duration of an exec, for the task events it answers. */
async function timed<T>(work: () => Promise<T>): Promise<[T, ExecTime]> {
  const started = Date.now();
  const result = await work();
  return [result, { startedAt: started, durationMs: Date.now() - started }];
}

/** One play on one host: its resources in order, then the handlers they notified. */
class HostPlay {
  private readonly context: ProbeContext;
  private sections: Section[] = [];
  private readonly notified = new Set<string>();
  private changed = false;

  constructor(
    private readonly session: HostSession,
    private readonly work: HostWork,
    private readonly options: PlayOptions,
  ) {
    this.context = { diff: options.diff };
  }

  /** The play: its resources (probed in one exec unless `probed`), then its handlers. */
  async converge(probed?: Section[]): Promise<HostOutcome> {
    this.sections =
      probed ??
      (
        await execScript(
          this.session,
          [],
          this.work.resources.map((resource) => resource.probe(this.context)),
        )
      ).probes;
    const outcome = await this.convergeResources();
    // Handlers of changes already applied run even when a later resource failed (Ansible's force_handlers):
    // otherwise a config written before the failure would never be reloaded, as the next run finds the file in place.
    return (await this.runHandlers()) ? outcome : "failed";
  }

  /** Report one task's result on this host. */
  private emit(id: string, status: "ok" | "changed" | "failed", extra: TaskExtra = {}): void {
    this.session.reporter.emit({
      type: "task",
      play: this.options.play,
      host: this.session.host,
      id,
      status,
      startedAt: Date.now(),
      durationMs: 0,
      ...extra,
    });
  }

  /** Each resource planned from its probe and, where it differs, applied; the first failure ends the play here. */
  private async convergeResources(): Promise<HostOutcome> {
    const { resources } = this.work;
    for (let index = 0; index < resources.length; index++) {
      const resource = resources[index]!;
      let planned: Planned;
      try {
        planned = planOf(resource, this.sections[index]!, this.context);
      } catch (error) {
        this.emit(resource.id, "failed", { message: (error as Error).message });
        return "failed";
      }
      if (planned.changes.length === 0) {
        this.emit(resource.id, "ok");
        continue;
      }
      let time: ExecTime | undefined;
      if (!this.options.check) {
        const applied = await this.apply(index, planned);
        if (applied === "failed") return "failed";
        if (applied === "probe again") {
          index--;
          continue;
        }
        time = applied;
      }
      this.noteChange(resource, planned);
      this.emit(resource.id, "changed", { changes: planned.changes, ...time });
    }
    return this.changed ? "changed" : "converged";
  }

  /**
   * Apply one resource, the rest probed again in the same exec (with the converge lock's step in front of this run's
   * first change); "probe again" when another run had the lock since this one probed.
   */
  private async apply(index: number, planned: Planned): Promise<ExecTime | "failed" | "probe again"> {
    const { resources } = this.work;
    const resource = resources[index]!;
    const rest = resources.slice(index + 1).map((next) => next.probe(this.context));
    const lock = this.session.lock && !this.session.lock.held ? this.session.lock : undefined;
    const steps = [...(lock ? [lockStep(lock.run, 0, lock.lastBeforeProbe)] : []), resource.apply(planned.state)];
    const started = Date.now();
    let executed: [Awaited<ReturnType<typeof execScript>>, ExecTime];
    try {
      executed = await timed(() => execScript(this.session, steps, rest));
    } catch (error) {
      if (!(error instanceof ExecError)) throw error;
      // The exec failed as a whole (--timeout, a shell cut short) while it applied this resource: its failure, so the
      // handlers of the changes before it still run. The lock step in front of it may have taken the lock.
      if (lock) lock.held = true;
      this.emit(resource.id, "failed", {
        changes: planned.changes,
        message: error.message,
        startedAt: started,
        durationMs: Date.now() - started,
      });
      return "failed";
    }
    const [result, time] = executed;
    if (lock) {
      const taken = parseLock(result.steps[0]!.output, result.steps[0]!.status);
      result.steps.shift();
      if (taken.state === "busy" && !(await this.waitForLock(lock, resource.id, taken.holder))) return "failed";
      lock.held = true;
      if (taken.state === "busy" || taken.state === "stale") {
        // Another run worked here since this one probed: what is left is probed again and planned anew.
        const reprobed = await execScript(
          this.session,
          [],
          resources.slice(index).map((next) => next.probe(this.context)),
        );
        this.sections = [...this.sections.slice(0, index), ...reprobed.probes];
        return "probe again";
      }
    }
    if (result.steps[0]!.status !== 0) {
      this.emit(resource.id, "failed", { changes: planned.changes, message: tail(result.steps[0]!.output), ...time });
      return "failed";
    }
    if (!(await this.verified(resource, planned, time))) return "failed";
    this.sections = [...this.sections.slice(0, index + 1), ...result.probes];
    return time;
  }

  /** The resource's check on the controller after its apply; its rollback when the check fails. */
  private async verified(resource: Resource, planned: Planned, time: ExecTime): Promise<boolean> {
    if (!resource.verify) return true;
    try {
      await resource.verify(planned.state);
      return true;
    } catch (error) {
      const rollback = resource.rollback
        ? await execScript(this.session, [resource.rollback(planned.state)], [])
        : undefined;
      const undone = rollback
        ? rollback.steps[0]!.status === 0
          ? "rolled back"
          : `ROLLBACK FAILED: ${tail(rollback.steps[0]!.output)}`
        : "no rollback";
      this.emit(resource.id, "failed", {
        changes: planned.changes,
        message: `${(error as Error).message} (${undone})`,
        ...time,
      });
      return false;
    }
  }

  /** A change notifies its handlers; a unit started fresh after the changes so far makes its refresh handlers needless. */
  private noteChange(resource: Resource, planned: Planned): void {
    this.changed = true;
    if (resource.keepsStarted && resource.startsFresh?.(planned.state)) {
      // Started after every change notified so far: a restart or reload of the same unit would only repeat it.
      this.work.handlers
        .filter((handler) => handler.resource.refreshes === resource.keepsStarted)
        .forEach((handler) => this.notified.delete(handler.name));
    }
    resource.notify.forEach((name) => this.notified.add(name));
  }

  /** The notified handlers, in definition order, in one exec (only reported under --check); false when one failed. */
  private async runHandlers(): Promise<boolean> {
    const handlers = this.work.handlers.filter((handler) => this.notified.has(handler.name));
    if (handlers.length === 0) return true;
    if (this.options.check) {
      handlers.forEach((handler) =>
        this.emit(handler.name, "changed", { handler: true, changes: [{ summary: "would run" }] }),
      );
      return true;
    }
    const [result, time] = await timed(() =>
      execScript(
        this.session,
        handlers.map((handler) => handler.resource.apply(undefined)),
        [],
      ),
    );
    for (const [index, handler] of handlers.entries()) {
      const step = result.steps[index];
      if (!step) break;
      if (step.status !== 0) {
        this.emit(handler.name, "failed", { handler: true, message: tail(step.output), ...time });
        return false;
      }
      this.emit(handler.name, "changed", { handler: true, changes: [{ summary: handler.resource.id }], ...time });
    }
    return true;
  }

  /** Another run holds the host's lock: wait for it in an exec of its own (true once held), or fail with --no-wait. */
  private async waitForLock(lock: SessionLock, resourceId: string, holder: string): Promise<boolean> {
    const held = `converge lock held by ${holder}`;
    const seconds = Math.round(this.session.timeoutMs / 1000);
    if (lock.noWait) {
      this.emit("converge lock", "failed", {
        message: `${held} (--no-wait); ${resourceId} and what follows were left as they are`,
      });
      return false;
    }
    this.session.reporter.emit({
      type: "waiting",
      host: this.session.host,
      message: `${held}; waiting (at most ${seconds} s)`,
    });
    const waited = await execScript(
      this.session,
      [lockStep(lock.run, this.session.timeoutMs / 1000 - 5, lock.lastBeforeProbe)],
      [],
    );
    if (parseLock(waited.steps[0]!.output, waited.steps[0]!.status).state === "busy") {
      this.emit("converge lock", "failed", { message: `gave up after ${seconds} s waiting for the ${held}` });
      return false;
    }
    return true;
  }
}
