// Batched stat: the file probes of one exec answered from the exec's shared stat (type, owner, group, mode, size,
// a link's target) plus one sha256sum per file, each a memo block: a file whose stat line has not changed since its
// hash was saved is not read again (except a sensitive file's: a hash derived from a secret is never saved).
// The answer for each path is the text statProbe() would print.
import { memoBlock } from "../runner/probe-memo.ts";
import { statable, type SharedStat } from "../runner/shared-stat.ts";

/** First line of a stat probe that may be answered from the batch (see statProbe). */
export const STAT_BATCH_PREFIX = "# foobar:stat ";
/** Suffix of a stat batch argument whose hash must not be saved in the memo. */
const UNSAVED = " unsaved";

/** Paths the batch can carry: those the shared stat can (no spaces, quotes, newlines or shell syntax). */
export const batchable = statable;

/** The marker's argument: the path, flagged when its hash is not to be kept between runs. */
export function statArgument(path: string, saveHash: boolean): string {
  return saveHash ? path : `${path}${UNSAVED}`;
}

const pathOf = (argument: string) => (argument.endsWith(UNSAVED) ? argument.slice(0, -UNSAVED.length) : argument);

export function statArgumentBatchable(argument: string): boolean {
  return batchable(pathOf(argument));
}

export function statBatchPaths(argumentsList: readonly string[]): string[] {
  return [...new Set(argumentsList.map(pathOf))];
}

/**
 * The hashes: one sha256sum per file whose hash may be saved (a memo block each, so a saved hash needs none), and one
 * for all the files whose hash is never saved. The stat lines come from the shared stat.
 */
export function statBatchScript(argumentsList: readonly string[]): string {
  const unsaved = new Set(argumentsList.filter((argument) => argument.endsWith(UNSAVED)).map(pathOf));
  const hash = (paths: readonly string[]) => `sha256sum -- ${paths.join(" ")} 2>/dev/null`;
  const saved = statBatchPaths(argumentsList).filter((path) => !unsaved.has(path)).map((path) => memoBlock([path], hash([path])));
  return [...saved, ...(unsaved.size > 0 ? [hash([...unsaved])] : [])].join("\n");
}

/** Per argument, the output statProbe() would have printed for its path. */
export function splitStatBatch(output: string, argumentsList: readonly string[], stat: SharedStat): Map<string, string> {
  const hashes = new Map<string, string>();
  for (const line of output.split("\n")) {
    const match = /^([0-9a-f]{64}) {2}(\/.*)$/.exec(line);
    if (match) hashes.set(match[2]!, match[1]!);
  }
  const answer = (path: string): string => {
    const seen = stat.lines.get(path);
    if (!seen) return "absent\n";
    if (seen.type === "symbolic link" && seen.link !== undefined) return `link\n${seen.link}\n`;
    if ((seen.type === "regular file" || seen.type === "regular empty file") && hashes.has(path)) return `file ${seen.owner} ${seen.group} ${seen.mode} ${seen.size}\n${hashes.get(path)}\n`;
    if (seen.type === "directory") return `directory ${seen.owner} ${seen.group} ${seen.mode}\n`;
    return "other\n";
  };
  return new Map(argumentsList.map((argument) => [argument, answer(pathOf(argument))]));
}
