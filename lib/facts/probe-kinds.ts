// Every probe kind in one table: its shell on its own and, for the kinds the runner batches, how the probes of one
// exec are answered together (one command per kind, or the exec's shared stat alone) with the text each would print.
import { HOST_FACTS_SCRIPT } from "./host.ts";
import { LOCK_STATE_SCRIPT } from "./lock-state.ts";
import { mtimesBatchable, mtimesScript, splitMtimeBatch } from "./mtime-batch.ts";
import { packageBatchScript, splitPackageBatch } from "./package-batch.ts";
import { packagesBatchable, packagesQuery } from "./packages.ts";
import { partsOf, type Probe, type ProbeKind, type ProbePart } from "./probe.ts";
import { memoBlock, type MemoBlock } from "./probe-memo.ts";
import type { SharedStat } from "./shared-stat.ts";
import { sqlBatchable, sqlBatchScript, sqlScript, splitSqlBatch } from "./sql-batch.ts";
import { splitStatBatch, statBatchable, statBatchPaths, statBatchScript } from "./stat-batch.ts";
import { statScript } from "./file-stat.ts";
import { unitActiveScript, unitFileScript } from "./systemd.ts";
import { activeBatchScript, fileBatchScript, splitActiveBatch, splitFileBatch, unitBatchable } from "./unit-batch.ts";
import { sinceBatchable, sinceBatchPaths, sinceBatchScript, splitSinceBatch, unitSinceScript } from "./unit-since.ts";

/** Shell as the runner places it: plain text, or a memo block it may answer from the memo. */
export type ShellPiece = string | MemoBlock;

export interface BatchOf<P> {
  accepts(probe: P): boolean;
  /** The batch's command; a kind without one is answered from the exec's shared stat alone. */
  script?(probes: readonly P[]): ShellPiece | ShellPiece[];
  /** Paths the kind reads from the shared stat. */
  statPaths?(probes: readonly P[]): string[];
  /** Per probe, in order, the text its own shell would have printed. */
  split(output: string, probes: readonly P[], stat: SharedStat): string[];
}

export interface KindOf<P> {
  /** The probe's shell on its own. */
  render(probe: P): ShellPiece;
  batch?: BatchOf<P>;
}

type Kinds = { [K in ProbeKind]: KindOf<Extract<ProbePart, { kind: K }>> };

type UnitPart = { unit: string };
const units = (probes: readonly UnitPart[]) => probes.map((probe) => probe.unit);

/** The batch of a unit kind, from its functions over unit names. */
function unitBatch(
  accepts: (unit: string) => boolean,
  script: (units: readonly string[]) => ShellPiece,
  split: (output: string, units: readonly string[], stat: SharedStat) => string[],
  statPaths?: (units: readonly string[]) => string[],
): BatchOf<UnitPart> {
  return {
    accepts: (probe) => accepts(probe.unit),
    script: (probes) => script(units(probes)),
    split: (output, probes, stat) => split(output, units(probes), stat),
    ...(statPaths && { statPaths: (probes: readonly UnitPart[]) => statPaths(units(probes)) }),
  };
}

export const PROBE_KINDS: Kinds = {
  shell: { render: (probe) => memoBlock(probe.dependsOn, probe.script) },
  stat: {
    render: (probe) => memoBlock(probe.dependsOn, statScript(probe)),
    batch: { accepts: statBatchable, script: statBatchScript, statPaths: statBatchPaths, split: splitStatBatch },
  },
  "unit-active": { render: unitActiveScript, batch: unitBatch(unitBatchable, activeBatchScript, splitActiveBatch) },
  "unit-file": { render: unitFileScript, batch: unitBatch(unitBatchable, fileBatchScript, splitFileBatch) },
  "unit-since": {
    render: unitSinceScript,
    batch: unitBatch(sinceBatchable, sinceBatchScript, splitSinceBatch, sinceBatchPaths),
  },
  sql: { render: sqlScript, batch: { accepts: sqlBatchable, script: sqlBatchScript, split: splitSqlBatch } },
  packages: {
    render: (probe) => packagesQuery(probe.names),
    batch: { accepts: packagesBatchable, script: packageBatchScript, split: splitPackageBatch },
  },
  mtimes: {
    render: mtimesScript,
    batch: {
      accepts: mtimesBatchable,
      statPaths: (probes) => [...new Set(probes.flatMap((probe) => probe.paths))],
      split: (_output, probes, stat) => splitMtimeBatch(probes, stat),
    },
  },
  host: { render: () => HOST_FACTS_SCRIPT },
  "lock-state": { render: () => LOCK_STATE_SCRIPT },
};

/** The kinds that batch, in the order their sections run. */
export const BATCH_ORDER: readonly ProbeKind[] = [
  "stat",
  "unit-active",
  "unit-file",
  "unit-since",
  "sql",
  "packages",
  "mtimes",
];

export function kindOf<P extends ProbePart>(probe: P): KindOf<P> {
  return PROBE_KINDS[probe.kind] as unknown as KindOf<P>;
}

/** One probe's shell on its own: its parts in order, as one section. */
export function renderProbe(parts: readonly ProbePart[]): ShellPiece[] {
  return parts.map((part) => kindOf(part).render(part));
}

/** A probe's shell run by itself, outside the runner's framed scripts (memo blocks simply run). */
export function probeScript(probe: Probe): string {
  return renderProbe(partsOf(probe))
    .map((piece) => (typeof piece === "string" ? piece : piece.body))
    .join("\n");
}
