// Typed shape of hosts.ts: environments, hosts, groups and their variables.
import type { Secret, SecretRef } from "../secret.ts";

/** How the runner reaches a host over SSH. Every field has an environment-wide default. */
export interface SshSettings {
  /** Login user (default "root"). */
  user?: string;
  /** TCP port (default 22). */
  port?: number;
  /** Private key file; without it the ssh-agent at $SSH_AUTH_SOCK is used. Relative to the repo. */
  key?: string;
  /** known_hosts file checked strictly (default ~/.ssh/known_hosts, plus the project's known_hosts). */
  knownHosts?: string;
  /** TCP + handshake timeout in ms (default 10000). */
  connectTimeoutMs?: number;
  /** become_password: for a user whose sudo asks for a password, `secret("name")`; sent on stdin, never on a command line. */
  becomePassword?: SecretRef;
}

export type Vars = Record<string, unknown>;

export interface HostSpec {
  /** Address the runner connects to. */
  address: string;
  /** Address the other hosts use to reach this one (firewall rules, backends, grants). Defaults to address. */
  privateAddress?: string;
  ssh?: SshSettings;
  /** Run commands through `sudo -n` (default: true unless the SSH user is root). */
  become?: boolean;
  vars?: Vars;
}

export interface GroupSpec {
  hosts: string[];
  vars?: Vars;
  /** The group's become_password (a host's own wins; the first group that sets one, in declaration order, next). */
  ssh?: Pick<SshSettings, "becomePassword">;
}

export interface EnvironmentSpec {
  description?: string;
  hosts: Record<string, HostSpec>;
  groups: Record<string, GroupSpec>;
  /** Vars for every host of the environment (lowest precedence after role defaults). */
  vars?: Vars;
  /** SSH defaults for every host. */
  ssh?: SshSettings;
  /** Secrets file of this environment, relative to the repo: `.age` is encrypted (default secrets/<environment>.age), else clear JSON. */
  secretsFile?: string;
  /** Create missing secrets (random) in secretsFile instead of failing: for throw-away labs only. */
  generateSecrets?: boolean;
  /** Where each run publishes its outcome as Prometheus metrics (lib/report/run-metrics.ts); absent: nowhere. */
  runMetrics?: RunMetricsSpec;
  /** How much run history the controller keeps for this environment (.runs/<environment>/): default 100 runs, 30 days. */
  runHistory?: RunHistorySpec;
}

/** A history record is removed once it is not among the last `runs` of its environment, or older than `days`. */
export interface RunHistorySpec {
  runs?: number;
  days?: number;
}

/** The site's own monitoring as the record of converges and drift checks: node_exporter's textfile collector on a host. */
export interface RunMetricsSpec {
  /** The host whose node_exporter reads the files (it must be in this environment). */
  host: string;
  /** Its textfile collector directory (absolute). */
  directory: string;
}

export interface InventorySpec {
  environments: Record<string, EnvironmentSpec>;
}

/** A host after loading: every default filled in, its groups known. */
export interface Host {
  name: string;
  address: string;
  privateAddress: string;
  ssh: Required<Omit<SshSettings, "key" | "knownHosts" | "becomePassword">> & {
    key?: string;
    knownHosts?: string;
    /** A reference until the run resolves it (lib/secrets/become.ts), then the Secret. */
    becomePassword?: SecretRef | Secret;
  };
  become: boolean;
  groups: string[];
  /** Host-level vars (not yet merged with group or role vars). */
  vars: Vars;
}

export interface Inventory {
  environment: string;
  hosts: Host[];
  groups: Record<string, { hosts: string[]; vars: Vars }>;
  vars: Vars;
  secretsFile: string;
  generateSecrets: boolean;
  runMetrics?: RunMetricsSpec;
  runHistory: Required<RunHistorySpec>;
  host(name: string): Host;
  /** Hosts of a group, in declaration order. */
  group(name: string): Host[];
}
