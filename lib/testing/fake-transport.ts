// Fake transport for unit tests: answers each section of a script from its plan, by kind — the host's facts and the
// converge lock itself, every other probe and step from a test's handler.
import type { PlannedSection } from "../connection/script-plan.ts";
import { UnreachableError, type ExecOptions, type ExecResult, type Transport } from "../connection/transport.ts";
import { debianFacts } from "../facts/debian-facts.ts";
import type { ProbePart, ShellProbe } from "../facts/probe.ts";

export interface SnippetResult {
  output: string;
  status: number;
}

/** What a handler answers: a read-only probe (its parts, as values) or an apply step (its script). */
export type FakeRequest = { kind: "probe"; parts: readonly ProbePart[] } | { kind: "step"; script: string };

export type SnippetHandler = (request: FakeRequest) => SnippetResult;

/** The script of a probe made of shell parts alone (what a test's own resources probe with); undefined otherwise. */
export function shellOf(request: FakeRequest): string | undefined {
  if (request.kind === "step") return request.script;
  const shells = request.parts.filter((part): part is ShellProbe => part.kind === "shell");
  return shells.length === request.parts.length ? shells.map((part) => part.script).join("\n") : undefined;
}

export interface FakeHostOptions {
  /** Refuse to connect (the host is down). */
  unreachable?: boolean;
  /** Canned facts output (default: Debian 12 with the host's name). */
  factsOutput?: string;
  /** Another run holds the converge lock (this description): a first attempt finds it busy, a wait gets it. */
  lockHolder?: string;
  /** With lockHolder: the holder keeps the lock past a wait too. */
  lockKept?: boolean;
  /** Another run had the lock since this one probed: the first attempt takes it, stale (probe again). */
  lockTakenMeanwhile?: boolean;
}

/** Everything a test may count or inspect after a run. */
export interface FakeLog {
  execs: { host: string; command: string; stdin: string }[];
  /** Every connect attempt, by host name, in order (recorded when the test gives the log this array). */
  connects?: string[];
}

/** A connect function (host name -> Transport) over handlers, recording every exec in `log`. */
export function fakeConnector(
  handlers: Record<string, SnippetHandler>,
  log: FakeLog,
  options: Record<string, FakeHostOptions> = {},
) {
  return async (host: { name: string }): Promise<Transport> => {
    log.connects?.push(host.name);
    const handler = handlers[host.name];
    if (!handler || options[host.name]?.unreachable)
      throw new UnreachableError(host.name, "connect ECONNREFUSED (fake)", "refused");
    const facts = options[host.name]?.factsOutput ?? debianFacts(host.name);
    const { lockHolder: holder, lockKept, lockTakenMeanwhile } = options[host.name] ?? {};
    // With a holder: its lock is found held, busy to a first attempt, and had (after it) by a wait unless it is kept.
    const lockAnswer = (waitSeconds: number): SnippetResult =>
      !holder
        ? lockTakenMeanwhile
          ? { output: "lock=held-stale", status: 76 }
          : { output: "lock=held", status: 0 }
        : waitSeconds === 0 || lockKept
          ? { output: `lock=busy\n${holder}`, status: 75 }
          : { output: "lock=held-stale", status: 76 };
    const probeAnswer = (parts: readonly ProbePart[]): SnippetResult => {
      if (parts.length === 1 && parts[0]!.kind === "host") return { output: facts, status: 0 };
      if (parts.length === 1 && parts[0]!.kind === "lock-state")
        return { output: holder ? "last=other held" : "last=none free", status: 0 };
      return handler({ kind: "probe", parts });
    };
    const answer = (section: PlannedSection): SnippetResult => {
      if ("step" in section)
        return section.step.lockWaitSeconds === undefined
          ? handler({ kind: "step", script: section.step.script })
          : lockAnswer(section.step.lockWaitSeconds);
      if ("probe" in section) return probeAnswer(section.probe);
      throw new Error(
        `fake transport: a batch of ${section.members.length} ${section.batch} probes is not faked; give the test's probes their own kinds`,
      );
    };
    return {
      host: host.name,
      async exec(command: string, execOptions: ExecOptions = {}): Promise<ExecResult> {
        const stdin = (execOptions.stdin ?? "") + ((await execOptions.moreStdin?.catch(() => "")) ?? "");
        log.execs.push({ host: host.name, command, stdin });
        const plan = execOptions.plan;
        if (!plan) return { stdout: "", stderr: "fake: not a framed script", code: 2 };
        let stdout = "";
        for (const section of plan.sections) {
          const result = answer(section);
          stdout += `${result.output}\n${plan.boundary} ${section.label} ${result.status}\n`;
          if ("step" in section && result.status !== 0) break;
        }
        return { stdout, stderr: "", code: 0 };
      },
      async close() {},
    };
  };
}
