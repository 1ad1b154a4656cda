// Batched mtime probe: the modification times asked for in one exec answered by one `stat` for all paths.
import { batchable } from "./stat-batch.ts";

/** Marker line of a path's mtime, a part of a probe (see mtimeProbe); the answer is the epoch seconds, or nothing when absent. */
export const MTIME_BATCH_PREFIX = "# foobar:mtime ";

export const mtimeBatchable = batchable;

export function mtimeBatchScript(paths: readonly string[]): string {
  return `stat -c '%Y %n' -- ${[...new Set(paths)].join(" ")}\ntrue`;
}

export function splitMtimeBatch(output: string, paths: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  for (const line of output.split("\n")) {
    const match = /^(\d+) (\/.*)$/.exec(line);
    if (match) found.set(match[2]!, `${match[1]}\n`);
  }
  return new Map(paths.map((path) => [path, found.get(path) ?? ""]));
}
