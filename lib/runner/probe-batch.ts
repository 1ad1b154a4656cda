// Probe kinds the runner batches: many probes of one kind in one exec become one command (one process start
// instead of one per resource), or none when the exec's shared stat answers them; each resource still gets the exact
// text its own probe would have printed (for a probe with several markers: its parts' answers, in marker order).
import { splitStatBatch, statArgumentBatchable, statBatchPaths, statBatchScript, STAT_BATCH_PREFIX } from "../facts/stat-batch.ts";
import { activeBatchScript, fileBatchScript, splitActiveBatch, splitFileBatch, unitBatchable, UNIT_ACTIVE_PREFIX, UNIT_FILE_PREFIX } from "../facts/unit-batch.ts";
import { sinceBatchable, sinceBatchPaths, sinceBatchScript, splitSinceBatch, UNIT_SINCE_PREFIX } from "../facts/unit-since.ts";
import { splitSqlBatch, sqlBatchable, sqlBatchScript, SQL_BATCH_PREFIX } from "../facts/sql-batch.ts";
import { packageBatchScript, splitPackageBatch } from "../facts/package-batch.ts";
import { packageBatchable, PACKAGE_BATCH_PREFIX } from "../facts/packages.ts";
import { MTIME_BATCH_PREFIX, mtimeBatchable, splitMtimeBatch } from "../facts/mtime-batch.ts";
import type { SharedStat } from "./shared-stat.ts";

export interface ProbeBatchKind {
  /** First line of a probe of this kind: the prefix followed by the argument (a path, a unit). */
  prefix: string;
  accepts(argument: string): boolean;
  /** The batch's command; a kind without one is answered from the exec's shared stat alone. */
  script?(argumentsList: readonly string[]): string;
  /** Paths the kind reads from the shared stat. */
  statPaths?(argumentsList: readonly string[]): string[];
  split(output: string, argumentsList: readonly string[], stat: SharedStat): Map<string, string>;
}

const paths = (argumentsList: readonly string[]) => [...argumentsList];

export const BATCH_KINDS: readonly ProbeBatchKind[] = [
  { prefix: STAT_BATCH_PREFIX, accepts: statArgumentBatchable, script: statBatchScript, statPaths: statBatchPaths, split: splitStatBatch },
  { prefix: UNIT_ACTIVE_PREFIX, accepts: unitBatchable, script: activeBatchScript, split: splitActiveBatch },
  { prefix: UNIT_FILE_PREFIX, accepts: unitBatchable, script: fileBatchScript, split: splitFileBatch },
  { prefix: UNIT_SINCE_PREFIX, accepts: sinceBatchable, script: sinceBatchScript, statPaths: sinceBatchPaths, split: splitSinceBatch },
  { prefix: SQL_BATCH_PREFIX, accepts: sqlBatchable, script: sqlBatchScript, split: splitSqlBatch },
  { prefix: PACKAGE_BATCH_PREFIX, accepts: packageBatchable, script: packageBatchScript, split: splitPackageBatch },
  { prefix: MTIME_BATCH_PREFIX, accepts: mtimeBatchable, statPaths: paths, split: splitMtimeBatch },
];

/** One answer a probe takes from a batch: the kind and the argument of one of its marker lines. */
export interface BatchPart {
  kind: number;
  argument: string;
}

/**
 * The batch answers a probe is made of, one per leading marker line, in order (a probe may combine kinds, e.g. a
 * unit's state and file mtimes); undefined for probes that run on their own (no marker, or one no kind accepts).
 */
export function batchOf(probe: string): BatchPart[] | undefined {
  const parts: BatchPart[] = [];
  for (const line of probe.split("\n")) {
    const kind = BATCH_KINDS.findIndex((batch) => line.startsWith(batch.prefix));
    if (kind < 0) break;
    const argument = line.slice(BATCH_KINDS[kind]!.prefix.length);
    if (!BATCH_KINDS[kind]!.accepts(argument)) return undefined;
    parts.push({ kind, argument });
  }
  return parts.length > 0 ? parts : undefined;
}
