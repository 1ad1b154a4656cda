// Batched mtime probe: the modification times asked for in one exec, answered from the exec's shared stat.
import type { SharedStat } from "../runner/shared-stat.ts";
import { batchable } from "./stat-batch.ts";

/** Marker line of a path's mtime, a part of a probe (see mtimeProbe); the answer is the epoch seconds, or nothing when absent. */
export const MTIME_BATCH_PREFIX = "# foobar:mtime ";

export const mtimeBatchable = batchable;

/** Per path, what `stat -c %Y` prints: whole epoch seconds, or nothing for an absent path. */
export function splitMtimeBatch(_output: string, paths: readonly string[], stat: SharedStat): Map<string, string> {
  return new Map(paths.map((path) => {
    const seen = stat.lines.get(path);
    return [path, seen ? `${Math.floor(seen.mtime)}\n` : ""];
  }));
}
