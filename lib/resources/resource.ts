// The resource contract: a pure description with probe -> plan -> apply (docs/architecture.md, "The resource contract").
import type { Probe } from "../facts/probe.ts";

/** One difference between the host and the description, as the report shows it. */
export interface Change {
  /** One line for humans: "content", "mode 0644 -> 0600", "install nginx". */
  summary: string;
  /** Unified diff of file content, when asked for and not sensitive. */
  diff?: string;
}

/** What the runner passes to probe(): flags that change what is read. */
export interface ProbeContext {
  /** --diff: file resources also read the current content. */
  diff: boolean;
}

/** A command the runner runs on the controller after an apply (e.g. prove SSH still works). */
export type Verify = () => Promise<void>;

export interface Resource<State = unknown> {
  /** Unique within a host's run: "<kind>:<what>", e.g. "file:/etc/nginx/nginx.conf". */
  readonly id: string;
  /** Handler names to run at the end of the play when this resource changed. */
  readonly notify: readonly string[];
  /** Tags for --tags/--skip-tags (the role name is added by the runner). */
  readonly tags: readonly string[];
  /** What to read on the host (lib/facts/probe.ts); its stdout describes the current state (stderr is discarded). */
  probe(context: ProbeContext): Probe;
  /** Pure: the probe's stdout and exit status -> typed state. Throws on output it cannot read. */
  parse(stdout: string, status: number): State;
  /** Pure: what differs between `state` and the description; [] when converged. */
  plan(state: State, context: ProbeContext): Change[];
  /** Shell script that makes it so (run as one exec under `set -e`); idempotent itself. */
  apply(state: State): string;
  /** Optional check run on the controller after apply; failing it fails the task. */
  readonly verify?: (state: State) => Promise<void>;
  /** Rollback script run when verify fails. */
  readonly rollback?: (state: State) => string;
  /** The systemd unit this resource keeps running (a service resource with state "started"). */
  readonly keepsStarted?: string;
  /** True when apply() starts `keepsStarted` from stopped: the unit then reads every file written before it. */
  readonly startsFresh?: (state: State) => boolean;
  /** The unit a handler restarts or reloads: a fresh start of it after the notification makes the handler needless. */
  readonly refreshes?: string;
}

/** Options every resource factory accepts. */
export interface CommonOptions {
  notify?: string | string[];
  tags?: string[];
}

export function commonFields(options: CommonOptions = {}): { notify: string[]; tags: string[] } {
  const notify = options.notify === undefined ? [] : Array.isArray(options.notify) ? options.notify : [options.notify];
  return { notify, tags: options.tags ?? [] };
}
