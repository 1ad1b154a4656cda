// A run's options: what it is asked to do, as the command line says it (lib/cli/flags.ts fills RunChoices), and what
// it runs with (inventory, reporter, connectors).
import type { Transport } from "../connection/transport.ts";
import type { Host, InventorySpec } from "../inventory/types.ts";
import type { Reporter } from "../report/events.ts";
import type { RunLock } from "./host-lock.ts";
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

export type Connector = (host: Host) => Promise<Transport>;

/** The run's choices (the command line's) and what it runs with. */
export interface RunOptions extends RunChoices {
  inventory: InventorySpec;
  reporter: Reporter;
  connect: Connector;
  /**
   * A genuinely new login on every call, never a kept master or a shared session: the lockout check after a firewall
   * or sshd change uses it alone. Required, so no run can fall back to `connect` (under --persist, a kept master).
   */
  connectFresh: Connector;
  repoRoot: string;
  /** Where host facts are cached between runs (null: memory only). */
  factsDir: string | null;
  /** Role names a var namespace of the inventory may name besides the playbook's own (the repository's roles). */
  knownRoles?: readonly string[];
  /** The converge lock of the command this run is a step of (failover.ts): held already, taken again at once. */
  heldLock?: RunLock;
  /** A check publishes what it found to the inventory's runMetrics host (drift.ts); a converge always does. */
  publishCheck?: boolean;
}
