// Batched stat: the file probes of one exec answered from the exec's shared stat (type, owner, group, mode, size,
// a link's target) plus one sha256sum per file, each a memo block: a file whose stat line has not changed since its
// hash was saved is not read again (except a sensitive file's: a hash derived from a secret is never saved).
// The answer for each path is the text its own stat probe would print.
import type { StatProbe } from "./probe.ts";
import { memoBlock, type MemoBlock } from "./probe-memo.ts";
import { statable, type SharedStat } from "./shared-stat.ts";

/** Probes the batch can carry: without content, on paths the shared stat can carry (no spaces, quotes, shell syntax). */
export function statBatchable(probe: StatProbe): boolean {
  return !probe.content && probe.dependsOn === undefined && statable(probe.path);
}

export function statBatchPaths(probes: readonly StatProbe[]): string[] {
  return [...new Set(probes.map((probe) => probe.path))];
}

/**
 * The hashes: one sha256sum per file whose hash may be saved (a memo block each, so a saved hash needs none), and one
 * for all the files whose hash is never saved. The stat lines come from the shared stat.
 */
export function statBatchScript(probes: readonly StatProbe[]): (MemoBlock | string)[] {
  const unsaved = new Set(probes.filter((probe) => !probe.saveHash).map((probe) => probe.path));
  const hash = (paths: readonly string[]) => `sha256sum -- ${paths.join(" ")} 2>/dev/null`;
  const saved = statBatchPaths(probes)
    .filter((path) => !unsaved.has(path))
    .map((path) => memoBlock([path], hash([path])));
  return [...saved, ...(unsaved.size > 0 ? [hash([...unsaved])] : [])];
}

/** Per probe, the output its own stat probe would have printed for its path. */
export function splitStatBatch(output: string, probes: readonly StatProbe[], stat: SharedStat): string[] {
  const hashes = new Map<string, string>();
  for (const line of output.split("\n")) {
    const match = /^([0-9a-f]{64}) {2}(\/.*)$/.exec(line);
    if (match) hashes.set(match[2]!, match[1]!);
  }
  const answer = (path: string): string => {
    const seen = stat.lines.get(path);
    if (!seen) return "absent\n";
    if (seen.type === "symbolic link" && seen.link !== undefined) return `link\n${seen.link}\n`;
    if ((seen.type === "regular file" || seen.type === "regular empty file") && hashes.has(path))
      return `file ${seen.owner} ${seen.group} ${seen.mode} ${seen.size}\n${hashes.get(path)}\n`;
    if (seen.type === "directory") return `directory ${seen.owner} ${seen.group} ${seen.mode}\n`;
    return "other\n";
  };
  return probes.map((probe) => answer(probe.path));
}
