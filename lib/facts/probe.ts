// What a resource asks of a host, as a typed value: each probe kind with its parameters and what the memo depends on.
// lib/facts/render-probe.ts turns probes into shell, lib/facts/probe-batch.ts answers many of one kind at once.

/** A shell snippet of the resource's own; with `dependsOn`, its stdout depends only on those paths (see probe-memo.ts). */
export interface ShellProbe {
  kind: "shell";
  script: string;
  dependsOn?: readonly string[];
}

/** What is at a path; `content` adds a regular file's content (for --diff and line edits), which is never batched. */
export interface StatProbe {
  kind: "stat";
  path: string;
  /** Keep the file's hash between runs (false for a sensitive file: a hash derived from a secret is never saved). */
  saveHash: boolean;
  content: boolean;
  dependsOn?: readonly string[];
}

/** A unit's active state ("ActiveState=…"). */
export interface UnitActiveProbe {
  kind: "unit-active";
  unit: string;
}

/** A unit's unit-file state ("UnitFileState=…"). */
export interface UnitFileProbe {
  kind: "unit-file";
  unit: string;
}

/** When a unit last started ("ActiveEnterTimestamp=@…"). */
export interface UnitSinceProbe {
  kind: "unit-since";
  unit: string;
}

/** The modification times of paths, one line each (epoch seconds to the nanosecond), none for an absent path. */
export interface MtimesProbe {
  kind: "mtimes";
  paths: readonly string[];
}

/** Read-only statements run as root over the database's socket. */
export interface SqlProbe {
  kind: "sql";
  client: string;
  statements: readonly string[];
  /** A header line before each non-empty result (and the names in \G output). */
  columnNames: boolean;
}

/** The installed state of Debian packages (dpkg-query lines). */
export interface PackagesProbe {
  kind: "packages";
  names: readonly string[];
}

/** The host itself: OS release, hostname, CPUs, memory, addresses (lib/facts/host.ts). */
export interface HostProbe {
  kind: "host";
}

/** Who took the converge lock last and whether that run still holds it (lib/facts/lock-state.ts). */
export interface LockStateProbe {
  kind: "lock-state";
}

/** One thing a probe reads. */
export type ProbePart =
  | ShellProbe
  | StatProbe
  | UnitActiveProbe
  | UnitFileProbe
  | UnitSinceProbe
  | MtimesProbe
  | SqlProbe
  | PackagesProbe
  | HostProbe
  | LockStateProbe;

/** A probe: one part, or several whose outputs follow each other in order. */
export type Probe = ProbePart | readonly ProbePart[];

export type ProbeKind = ProbePart["kind"];

export function partsOf(probe: Probe): readonly ProbePart[] {
  return Array.isArray(probe) ? probe : [probe as ProbePart];
}

export function shellProbe(script: string, dependsOn?: readonly string[]): ShellProbe {
  return dependsOn === undefined ? { kind: "shell", script } : { kind: "shell", script, dependsOn };
}
