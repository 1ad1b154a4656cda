// Batched mtime probe: the modification times asked for in one exec, answered from the exec's shared stat.
import type { SharedStat } from "../runner/shared-stat.ts";
import { batchable } from "./stat-batch.ts";

/** Marker line of a path's mtime, a part of a probe; the answer is the epoch seconds with their fraction, or nothing when absent. */
export const MTIME_BATCH_PREFIX = "# foobar:mtime ";

export const mtimeBatchable = batchable;

/** Per path, what `stat -c %.9Y` prints: epoch seconds to the nanosecond, or nothing for an absent path. */
export function splitMtimeBatch(_output: string, paths: readonly string[], stat: SharedStat): Map<string, string> {
  return new Map(paths.map((path) => {
    const seen = stat.lines.get(path);
    return [path, seen ? `${seen.mtimeText}\n` : ""];
  }));
}
