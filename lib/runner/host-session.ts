// A host's session in a run: its login and reporter, and one framed script run there (steps, then probes).
import type { BecomeExec } from "../connection/become.ts";
import type { Step } from "../connection/script-plan.ts";
import type { Transport } from "../connection/transport.ts";
import type { Probe } from "../facts/probe.ts";
import type { ProbeMemo } from "../facts/probe-memo.ts";
import type { Reporter } from "../report/events.ts";
import type { SessionLock } from "./host-lock.ts";
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

/** A host-level failure of the exec itself (sudo refused, script cut short, timeout). */
export class ExecError extends Error {}

/** Run one framed script on the host: `steps` (applies) then `probes`. */
export async function execScript(
  session: HostSession,
  steps: readonly (string | Step)[],
  probes: readonly Probe[],
): Promise<{ steps: Section[]; probes: Section[] }> {
  const script = buildScript(steps, probes, session.memo);
  // Redacted only when a reporter reads it (-vv, --json): a no-op run would spend more on it than on its own work.
  session.reporter.emit({
    type: "command",
    host: session.host,
    get script() {
      return redactHeredocs(script.text);
    },
  });
  const result = await session.transport.exec(session.login.command, {
    stdin: session.login.stdinPrefix + script.text,
    timeoutMs: session.timeoutMs,
    plan: script.plan,
  });
  if (result.code === null)
    throw new ExecError(
      `command timed out after ${session.timeoutMs} ms${result.stderr ? `: ${result.stderr.trim()}` : ""}`,
    );
  const sections = parseScriptOutput(result.stdout, script);
  const stepFailed = sections.steps.some((step) => step.status !== 0);
  const complete = sections.steps.length === steps.length && sections.probes.length === probes.length;
  if (result.code !== 0 || (!complete && !stepFailed)) {
    const refusal = session.login.refusal(result.stderr);
    if (refusal) throw new ExecError(refusal);
    throw new ExecError(
      `remote shell failed (exit ${result.code}): ${(result.stderr || result.stdout).trim().slice(-500) || "no output"}`,
    );
  }
  return sections;
}
