// The transport contract: how the engine runs one shell script on one host.
import type { ScriptPlan } from "./script-plan.ts";

/** Result of one remote (or local) command. */
export interface ExecResult {
  stdout: string;
  stderr: string;
  /** Exit status; null when the command was killed (timeout, signal). */
  code: number | null;
}

export interface ExecOptions {
  /** Script text fed to the command on stdin (the engine sends scripts to `sh -s` this way). */
  stdin?: string;
  /**
   * The rest of stdin, written after `stdin` once it resolves; only then does stdin end and the timeout start. The
   * command (e.g. sudo) starts now and waits for its script: a root shell opened before the script is known.
   */
  moreStdin?: Promise<string>;
  /** Kill the command after this many milliseconds; the result then has code null. */
  timeoutMs?: number;
  /** The script's sections as values (a transport that runs the text ignores them). */
  plan?: ScriptPlan;
}

/** Where a command's stdin goes: a channel, a pipe. */
interface StdinSink {
  write(text: string): unknown;
  end(text: string): unknown;
}

/**
 * Writes a command's stdin: `stdin` now and, with `moreStdin`, its text once it resolves (nothing more if it rejects),
 * then ends it. `ending()` runs just before the end (transports start their timeout there); neither happens once
 * `gone()` says the command is over.
 */
export function feedStdin(
  sink: StdinSink,
  options: Pick<ExecOptions, "stdin" | "moreStdin">,
  ending: () => void,
  gone: () => boolean,
): void {
  const end = (rest: string) => {
    if (gone()) return;
    ending();
    sink.end(rest);
  };
  const more = options.moreStdin;
  if (!more) {
    end(options.stdin ?? "");
    return;
  }
  sink.write(options.stdin ?? "");
  more.then(end, () => end(""));
}

/**
 * One open connection to one host. `exec` runs `command` through the host's login shell
 * (for ssh) or `/bin/sh -c` (local); the engine always passes `sh -s` or `sudo -n sh -s`
 * and the script on stdin.
 */
export interface Transport {
  readonly host: string;
  /** The login stays open after close() for the next run (--persist): what a run leaves on the host outlives it. */
  readonly outlivesRun?: boolean;
  exec(command: string, options?: ExecOptions): Promise<ExecResult>;
  close(): Promise<void>;
}

/** The brand of UnreachableError: the launcher's logins-ahead bundle has its own copy of this class (lib/connection/logins-ahead.ts). */
const UNREACHABLE = Symbol.for("foobar-infra.unreachable");

/** Thrown by a connect function when the host cannot be reached or authenticated. */
export class UnreachableError extends Error {
  readonly [UNREACHABLE] = true;

  /** An UnreachableError of either copy of this module (the logins started ahead by bin/foobar-infra come from the other). */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[UNREACHABLE] === true;
  }

  constructor(
    readonly host: string,
    message: string,
    readonly reason: "timeout" | "refused" | "auth" | "hostkey" | "other" = "other",
  ) {
    super(`${host}: ${message}`);
    this.name = "UnreachableError";
  }
}
