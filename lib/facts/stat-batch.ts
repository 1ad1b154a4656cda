// Batched stat: the file probes of one exec answered by one `stat` and one `sha256sum` for all their paths,
// instead of a subshell with two processes each. The answer for each path is the text statProbe() would print.

/** First line of a stat probe that may be answered from the batch (see statProbe). */
export const STAT_BATCH_PREFIX = "# foobar:stat ";
/** Paths the batch output can carry unambiguously (no spaces, quotes, newlines or shell syntax). */
const BATCHABLE = /^\/[A-Za-z0-9_./@:+-]*$/;
const SEPARATOR = "__FOOBAR_SHA256__";

export function batchable(path: string): boolean {
  return BATCHABLE.test(path);
}

/** One snippet reading every path: type, owner, group, mode, size and name (with a link's target), then hashes. */
export function statBatchScript(paths: readonly string[]): string {
  const list = [...new Set(paths)].join(" ");
  return `stat -c '%F|%U|%G|%a|%s|%N' -- ${list}\necho ${SEPARATOR}\nsha256sum -- ${list}\ntrue`;
}

/** Per path, the output statProbe() would have printed. */
export function splitStatBatch(output: string, paths: readonly string[]): Map<string, string> {
  const [statPart = "", hashPart = ""] = output.split(`${SEPARATOR}\n`);
  const hashes = new Map<string, string>();
  for (const line of hashPart.split("\n")) {
    const match = /^([0-9a-f]{64}) {2}(\/.*)$/.exec(line);
    if (match) hashes.set(match[2]!, match[1]!);
  }
  const found = new Map<string, string>();
  for (const line of statPart.split("\n")) {
    const [type, owner, group, mode, size, ...named] = line.split("|");
    const name = /^'([^']*)'(?: -> '([^']*)')?$/.exec(named.join("|"));
    if (!name) continue;
    const [, path, target] = name as unknown as [string, string, string | undefined];
    if (type === "symbolic link" && target !== undefined) found.set(path, `link\n${target}\n`);
    else if ((type === "regular file" || type === "regular empty file") && hashes.has(path)) found.set(path, `file ${owner} ${group} ${mode} ${size}\n${hashes.get(path)}\n`);
    else if (type === "directory") found.set(path, `directory ${owner} ${group} ${mode}\n`);
    else found.set(path, "other\n");
  }
  return new Map(paths.map((path) => [path, found.get(path) ?? "absent\n"]));
}
