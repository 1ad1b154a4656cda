// Splits test files between worker processes so that they end together: by each file's duration in the last run.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** Each file's duration (ms) in the last run, per directory and pattern; git-ignored, rewritten by every sharded run. */
const DURATIONS_FILE = join(import.meta.dirname, "..", ".cache", "uvu-durations.json");

type Durations = Record<string, number>;

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  } catch {
    return {}; // none yet, or unreadable: weigh by size
  }
}

export function readDurations(key: string): Durations {
  return (readJson(DURATIONS_FILE)[key] as Durations | undefined) ?? {};
}

/** Keep the durations the workers wrote (one file each, removed here) as the next run's weights for `key`. */
export function writeDurations(key: string, workerFiles: string[]): void {
  const merged: Durations = {};
  for (const file of workerFiles) {
    Object.assign(merged, readJson(file));
    rmSync(file, { force: true });
  }
  const all = readJson(DURATIONS_FILE);
  all[key] = merged;
  mkdirSync(dirname(DURATIONS_FILE), { recursive: true });
  writeFileSync(DURATIONS_FILE, `${JSON.stringify(all, null, 2)}\n`);
}

/**
 * `names` in `workers` groups of near-equal weight (longest first, each to the lightest group). A file's weight is its
 * last duration; a file without one weighs the median known duration, or, when none is known, its size in bytes.
 */
export function shardFiles(
  names: string[],
  durations: Durations,
  pathOf: (name: string) => string,
  workers: number,
): string[][] {
  const known = names.map((name) => durations[name]).filter((ms): ms is number => ms !== undefined);
  const median = known.sort((a, b) => a - b)[Math.floor(known.length / 2)];
  const weight = (name: string) => durations[name] ?? median ?? statSync(pathOf(name)).size;
  const shards = Array.from({ length: Math.min(workers, names.length) }, () => ({ names: [] as string[], load: 0 }));
  for (const name of [...names].sort((a, b) => weight(b) - weight(a))) {
    const lightest = shards.reduce((min, shard) => (shard.load < min.load ? shard : min));
    lightest.names.push(name);
    lightest.load += weight(name);
  }
  return shards.map((shard) => shard.names.sort());
}
