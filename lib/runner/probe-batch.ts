// Probe kinds the runner batches: many probes of one kind in one exec become one command (one process start
// instead of one per resource); each resource still gets the exact text its own probe would have printed.
import { splitStatBatch, statBatchScript, batchable, STAT_BATCH_PREFIX } from "../facts/stat-batch.ts";
import { splitUnitBatch, unitBatchable, unitBatchScript, UNIT_BATCH_PREFIX } from "../facts/unit-batch.ts";
import { splitSqlBatch, sqlBatchable, sqlBatchScript, SQL_BATCH_PREFIX } from "../facts/sql-batch.ts";
import { packageBatchScript, splitPackageBatch } from "../facts/package-batch.ts";
import { packageBatchable, PACKAGE_BATCH_PREFIX } from "../facts/packages.ts";

export interface ProbeBatchKind {
  /** First line of a probe of this kind: the prefix followed by the argument (a path, a unit). */
  prefix: string;
  accepts(argument: string): boolean;
  script(argumentsList: readonly string[]): string;
  split(output: string, argumentsList: readonly string[]): Map<string, string>;
}

export const BATCH_KINDS: readonly ProbeBatchKind[] = [
  { prefix: STAT_BATCH_PREFIX, accepts: batchable, script: statBatchScript, split: splitStatBatch },
  { prefix: UNIT_BATCH_PREFIX, accepts: unitBatchable, script: unitBatchScript, split: splitUnitBatch },
  { prefix: SQL_BATCH_PREFIX, accepts: sqlBatchable, script: sqlBatchScript, split: splitSqlBatch },
  { prefix: PACKAGE_BATCH_PREFIX, accepts: packageBatchable, script: packageBatchScript, split: splitPackageBatch },
];

/** Which batch kind a probe belongs to, and its argument; undefined for probes that run on their own. */
export function batchOf(probe: string): { kind: number; argument: string } | undefined {
  for (const [kind, batch] of BATCH_KINDS.entries()) {
    if (!probe.startsWith(batch.prefix)) continue;
    const argument = probe.slice(batch.prefix.length, probe.indexOf("\n"));
    return batch.accepts(argument) ? { kind, argument } : undefined;
  }
  return undefined;
}
