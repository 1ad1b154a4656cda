// Converge one play on one host: plan from probes, apply what differs (re-probing the rest in the same exec), run handlers.
import type { BecomeExec } from "../connection/become.ts";
import type { Step } from "../connection/script-plan.ts";
import type { Transport } from "../connection/transport.ts";
import type { Probe } from "../facts/probe.ts";
import type { ProbeMemo } from "../facts/probe-memo.ts";
import type { Reporter } from "../report/events.ts";
import type { Change, ProbeContext, Resource } from "../resources/resource.ts";
import { lockStep, parseLock, type SessionLock } from "./host-lock.ts";
import type { HostWork } from "./plan.ts";
import { buildScript, parseScriptOutput, redactHeredocs, type Section } from "./script.ts";

export interface HostSession {
  host: string;
  transport: Transport;
  /** How a script becomes root there (lib/connection/become.ts). */
  login: BecomeExec;
  reporter: Reporter;
  /** Per-command timeout for one exec (a long apt install must fit). */
  timeoutMs: number;
  /** Probe answers kept between runs (lib/facts/probe-memo.ts). */
  memo: ProbeMemo;
  /** The converge lock, taken with the first change (absent in --check). */
  lock?: SessionLock;
}

export interface PlayOptions {
  play: string;
  check: boolean;
  diff: boolean;
}

export type HostOutcome = "converged" | "changed" | "failed";

/** A host-level failure of the exec itself (sudo refused, script cut short, timeout). */
export class ExecError extends Error {}

/** Run one framed script on the host: `steps` (applies) then `probes`. */
export async function execScript(session: HostSession, steps: readonly (string | Step)[], probes: readonly Probe[]): Promise<{ steps: Section[]; probes: Section[] }> {
  const script = buildScript(steps, probes, session.memo);
  // Redacted only when a reporter reads it (-vv, --json): a no-op run would spend more on it than on its own work.
  session.reporter.emit({ type: "command", host: session.host, get script() { return redactHeredocs(script.text); } });
  const result = await session.transport.exec(session.login.command, { stdin: session.login.stdinPrefix + script.text, timeoutMs: session.timeoutMs, plan: script.plan });
  if (result.code === null) throw new ExecError(`command timed out after ${session.timeoutMs} ms${result.stderr ? `: ${result.stderr.trim()}` : ""}`);
  const sections = parseScriptOutput(result.stdout, script);
  const stepFailed = sections.steps.some((step) => step.status !== 0);
  const complete = sections.steps.length === steps.length && sections.probes.length === probes.length;
  if (result.code !== 0 || (!complete && !stepFailed)) {
    const refusal = session.login.refusal(result.stderr);
    if (refusal) throw new ExecError(refusal);
    throw new ExecError(`remote shell failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(-500) || "no output"}`);
  }
  return sections;
}

/** Last lines of a step's output: the useful part of an error. */
function tail(output: string): string {
  const lines = output.trim().split("\n");
  return lines.slice(-15).join("\n") || "(no output)";
}

function planOf(resource: Resource, section: Section, context: ProbeContext): { state: unknown; changes: Change[] } {
  const state = resource.parse(section.output, section.status);
  return { state, changes: resource.plan(state, context) };
}

/**
 * Converge `work` on one host. `probed` are the probe results of the resources if already
 * known (the run's pre-probe); otherwise one exec probes them all.
 */
export async function runHostPlay(session: HostSession, work: HostWork, options: PlayOptions, probed?: Section[]): Promise<HostOutcome> {
  const startedAt = Date.now();
  try {
    return await convergeHostPlay(session, work, options, probed);
  } finally {
    session.reporter.emit({ type: "host-play", play: options.play, host: session.host, startedAt, durationMs: Date.now() - startedAt });
  }
}

type TaskExtra = { changes?: Change[]; message?: string; handler?: boolean; startedAt?: number; durationMs?: number };

async function convergeHostPlay(session: HostSession, work: HostWork, options: PlayOptions, probed?: Section[]): Promise<HostOutcome> {
  const context: ProbeContext = { diff: options.diff };
  const { resources } = work;
  const emit = (id: string, status: "ok" | "changed" | "failed", extra: TaskExtra = {}) =>
    session.reporter.emit({ type: "task", play: options.play, host: session.host, id, status, startedAt: Date.now(), durationMs: 0, ...extra });
  /** Start and duration of an exec, for the task events it answers. */
  const timed = async <T>(work: () => Promise<T>): Promise<[T, { startedAt: number; durationMs: number }]> => {
    const started = Date.now();
    const result = await work();
    return [result, { startedAt: started, durationMs: Date.now() - started }];
  };
  let sections = probed ?? (await execScript(session, [], resources.map((resource) => resource.probe(context)))).probes;
  const notified = new Set<string>();
  let changed = false;
  const outcome = await convergeResources();
  // Handlers of changes already applied run even when a later resource failed (Ansible's force_handlers):
  // otherwise a config written before the failure would never be reloaded, as the next run finds the file in place.
  const handlers = work.handlers.filter((handler) => notified.has(handler.name));
  if (handlers.length === 0) return outcome;
  if (options.check) {
    handlers.forEach((handler) => emit(handler.name, "changed", { handler: true, changes: [{ summary: "would run" }] }));
    return outcome;
  }
  const [result, time] = await timed(() => execScript(session, handlers.map((handler) => handler.resource.apply(undefined)), []));
  for (const [index, handler] of handlers.entries()) {
    const step = result.steps[index];
    if (!step) break;
    if (step.status !== 0) {
      emit(handler.name, "failed", { handler: true, message: tail(step.output), ...time });
      return "failed";
    }
    emit(handler.name, "changed", { handler: true, changes: [{ summary: handler.resource.id }], ...time });
  }
  return outcome;

  async function convergeResources(): Promise<HostOutcome> {
    for (let index = 0; index < resources.length; index++) {
      const resource = resources[index]!;
      let planned: { state: unknown; changes: Change[] };
      try {
        planned = planOf(resource, sections[index]!, context);
      } catch (error) {
        emit(resource.id, "failed", { message: (error as Error).message });
        return "failed";
      }
      if (planned.changes.length === 0) {
        emit(resource.id, "ok");
        continue;
      }
      let time: { startedAt: number; durationMs: number } | undefined;
      if (!options.check) {
        const rest = resources.slice(index + 1).map((next) => next.probe(context));
        const lock = session.lock && !session.lock.held ? session.lock : undefined;
        const [result, applied] = await timed(() => execScript(session, [...(lock ? [lockStep(lock.run, 0, lock.lastBeforeProbe)] : []), resource.apply(planned.state)], rest));
        time = applied;
        if (lock) {
          const taken = parseLock(result.steps[0]!.output, result.steps[0]!.status);
          result.steps.shift();
          if (taken.state === "busy" && !(await waitForLock(lock, resource.id, taken.holder))) return "failed";
          lock.held = true;
          if (taken.state === "busy" || taken.state === "stale") {
            // Another run worked here since this one probed: what is left is probed again and planned anew.
            const reprobed = await execScript(session, [], resources.slice(index).map((next) => next.probe(context)));
            sections = [...sections.slice(0, index), ...reprobed.probes];
            index--;
            continue;
          }
        }
        if (result.steps[0]!.status !== 0) {
          emit(resource.id, "failed", { changes: planned.changes, message: tail(result.steps[0]!.output), ...time });
          return "failed";
        }
        if (resource.verify) {
          try {
            await resource.verify(planned.state);
          } catch (error) {
            const rollback = resource.rollback ? await execScript(session, [resource.rollback(planned.state)], []) : undefined;
            const undone = rollback ? (rollback.steps[0]!.status === 0 ? "rolled back" : `ROLLBACK FAILED: ${tail(rollback.steps[0]!.output)}`) : "no rollback";
            emit(resource.id, "failed", { changes: planned.changes, message: `${(error as Error).message} (${undone})`, ...time });
            return "failed";
          }
        }
        sections = [...sections.slice(0, index + 1), ...result.probes];
      }
      changed = true;
      if (resource.keepsStarted && resource.startsFresh?.(planned.state)) {
        // Started after every change notified so far: a restart or reload of the same unit would only repeat it.
        work.handlers.filter((handler) => handler.resource.refreshes === resource.keepsStarted).forEach((handler) => notified.delete(handler.name));
      }
      resource.notify.forEach((name) => notified.add(name));
      emit(resource.id, "changed", { changes: planned.changes, ...time });
    }
    return changed ? "changed" : "converged";
  }

  /** Another run holds the host's lock: wait for it in an exec of its own (true once held), or fail with --no-wait. */
  async function waitForLock(lock: SessionLock, resourceId: string, holder: string): Promise<boolean> {
    const held = `converge lock held by ${holder}`;
    if (lock.noWait) {
      emit("converge lock", "failed", { message: `${held} (--no-wait); ${resourceId} and what follows were left as they are` });
      return false;
    }
    session.reporter.emit({ type: "waiting", host: session.host, message: `${held}; waiting (at most ${Math.round(session.timeoutMs / 1000)} s)` });
    const waited = await execScript(session, [lockStep(lock.run, session.timeoutMs / 1000 - 5, lock.lastBeforeProbe)], []);
    if (parseLock(waited.steps[0]!.output, waited.steps[0]!.status).state === "busy") {
      emit("converge lock", "failed", { message: `gave up after ${Math.round(session.timeoutMs / 1000)} s waiting for the ${held}` });
      return false;
    }
    return true;
  }
}
