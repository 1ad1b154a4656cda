// Fake transport for unit tests: answers each framed probe/step of a script from a test's handler.
import { splitScript } from "../runner/script.ts";
import { hostFactsProbe } from "../facts/host.ts";
import { LOCK_STATE_PROBE, LOCK_STEP_MARK } from "../runner/host-lock.ts";
import { UnreachableError, type ExecOptions, type ExecResult, type Transport } from "../connection/transport.ts";

export interface SnippetResult {
  output: string;
  status: number;
}

/** Answers one snippet: `kind` says whether it is a read-only probe or an apply step. */
export type SnippetHandler = (snippet: string, kind: "probe" | "step") => SnippetResult;

export interface FakeHostOptions {
  /** Refuse to connect (the host is down). */
  unreachable?: boolean;
  /** Canned facts output (default: Debian 12 with the host's name). */
  factsOutput?: string;
  /** Another run holds the converge lock (this description): a first attempt finds it busy, a wait gets it. */
  lockHolder?: string;
}

/** Everything a test may count or inspect after a run. */
export interface FakeLog {
  execs: { host: string; command: string; stdin: string }[];
}

export function debianFacts(hostname: string, address = "192.168.56.99"): string {
  return ["debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", hostname, "0-1", "1048576", `2: eth0    inet ${address}/24 brd 192.168.56.255 scope global eth0\\       valid_lft forever preferred_lft forever`, ""].join("\n");
}

/** A connect function (host name -> Transport) over handlers, recording every exec in `log`. */
export function fakeConnector(handlers: Record<string, SnippetHandler>, log: FakeLog, options: Record<string, FakeHostOptions> = {}) {
  return async (host: { name: string }): Promise<Transport> => {
    const handler = handlers[host.name];
    if (!handler || options[host.name]?.unreachable) throw new UnreachableError(host.name, "connect ECONNREFUSED (fake)", "refused");
    const facts = options[host.name]?.factsOutput ?? debianFacts(host.name);
    const holder = options[host.name]?.lockHolder;
    // With a holder: its lock is found held, busy to a first attempt, and had (after it) by a wait.
    const lockAnswer = (step: string): SnippetResult =>
      !holder ? { output: "lock=held", status: 0 } : step.startsWith(`${LOCK_STEP_MARK} wait=0\n`) ? { output: `lock=busy\n${holder}`, status: 75 } : { output: "lock=held-stale", status: 76 };
    const probeAnswer = (probe: string): SnippetResult =>
      probe === hostFactsProbe ? { output: facts, status: 0 } : probe === LOCK_STATE_PROBE ? { output: holder ? "last=other held" : "last=none free", status: 0 } : handler(probe, "probe");
    return {
      host: host.name,
      async exec(command: string, execOptions: ExecOptions = {}): Promise<ExecResult> {
        const stdin = execOptions.stdin ?? "";
        log.execs.push({ host: host.name, command, stdin });
        const script = splitScript(stdin);
        if (!script) return { stdout: "", stderr: "fake: not a framed script", code: 2 };
        let stdout = "";
        const frame = (label: string, result: SnippetResult) => {
          stdout += `${result.output}\n${script.boundary} ${label} ${result.status}\n`;
        };
        for (const [index, step] of script.steps.entries()) {
          const result = step.startsWith(LOCK_STEP_MARK) ? lockAnswer(step) : handler(step, "step");
          frame(`s${index}`, result);
          if (result.status !== 0) return { stdout, stderr: "", code: 0 };
        }
        for (const probe of script.probes) frame(probe.label, probeAnswer(probe.snippet));
        return { stdout, stderr: "", code: 0 };
      },
      async close() {},
    };
  };
}
