// What a run is asked to do, as the command line says it: one type that lib/cli/flags.ts fills and runPlaybook reads.
import type { Selection } from "./plan.ts";

export interface RunChoices extends Selection {
  /** The environment of the inventory (hosts.ts) to run against. */
  environment: string;
  /** Hosts, groups or globs, comma-separated; !pattern excludes. */
  limit?: string;
  /** Probe and plan only. */
  check: boolean;
  /** Unified diffs of file content. */
  diff: boolean;
  /** Hosts worked on at once. */
  forks: number;
  /** Limit for one remote command (default 900: apt installs are slow); also how long a run waits for a host's lock. */
  timeoutSeconds?: number;
  /** A host whose converge lock another run holds fails at once instead of waiting. */
  noWait?: boolean;
}
