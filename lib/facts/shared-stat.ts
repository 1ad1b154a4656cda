// The shared stat: one `stat` at the start of an exec's probes for every path a batch or a memo block reads, kept in
// $FOOBAR_STAT for the memo gates and parsed here for the controller.
import { posix } from "node:path";
import type { Fields } from "./fields.ts";

/** Paths a stat line can carry unambiguously (no spaces, quotes, newlines, shell syntax or `|`); the stat batch's rule too. */
const STATABLE = /^\/[A-Za-z0-9_./@:+-]*$/;
/**
 * Device, inode and ctime change with any write, chmod, chown, rename or replacement (ctime cannot be set by hand);
 * the rest answers the file probes. %N carries a link's target.
 */
const STAT_FORMAT = "%n|%d|%i|%s|%.9Y|%.9Z|%F|%U|%G|%a|%N";
/** Its ctime is the moment stat ran (procfs makes the inode on lookup): the host's clock, for the racy check. */
const NOW_PATH = "/proc/self/";

export function statable(path: string): boolean {
  return STATABLE.test(path);
}

// A child glob, a directory followed by "/*/", stands for every subdirectory of it: the host's shell expands it in the
// stat command, so the subdirectories' lines (their names end in "/") come without the controller knowing them.
const CHILD_GLOB = "/*/";

export function isChildGlob(path: string): boolean {
  return path.endsWith(CHILD_GLOB) && statable(path.slice(0, -CHILD_GLOB.length));
}

/** What the shared stat can be asked about: a path, or the subdirectories of one. */
export function statPattern(path: string): boolean {
  return statable(path) || isChildGlob(path);
}

// The child glob that matches a path when it is a subdirectory's line (a name ending in "/"): its parent's glob.
export function childGlobOf(path: string): string | undefined {
  return path.endsWith("/") && path.length > 1 ? `${posix.dirname(path)}${CHILD_GLOB}` : undefined;
}

/** The subdirectory lines a child glob matched (a name the stat line cannot carry makes it undefined: not comparable). */
export function childrenOf(stat: SharedStat, glob: string): string[] | undefined {
  if (stat.unreadable) return undefined;
  return [...stat.lines.keys()].filter((path) => childGlobOf(path) === glob);
}

/** Asked by name, or matched by an asked child glob. */
export function wasAsked(stat: SharedStat, path: string): boolean {
  const glob = childGlobOf(path);
  return stat.asked.has(path) || (glob !== undefined && stat.asked.has(glob));
}

/** One file as the shared stat saw it; `line` is the whole stat line, compared as is. */
export interface StatLine {
  path: string;
  line: string;
  type: string;
  owner: string;
  group: string;
  mode: string;
  size: number;
  mtime: number;
  ctime: number;
  /** The times as stat printed them (epoch seconds to the nanosecond, beyond what a number keeps). */
  mtimeText: string;
  ctimeText: string;
  /** A symbolic link's target as stored (`link`) and resolved against the link's directory (`target`). */
  link?: string;
  target?: string;
}

export function statPathsCommand(paths: readonly string[]): string {
  return `FOOBAR_STAT=$(stat -c '${STAT_FORMAT}' -- ${NOW_PATH} ${[...new Set(paths)].join(" ")} 2>/dev/null)\nprintf '%s\\n' "$FOOBAR_STAT"`;
}

/**
 * What the shared stat of one exec saw: a line per existing path, the paths it was asked about, the host's time, and
 * whether some line could not be read back unambiguously (a glob matched a name the line cannot carry).
 */
export interface SharedStat {
  lines: Map<string, StatLine>;
  asked: ReadonlySet<string>;
  now?: number;
  unreadable?: boolean;
}

export const NO_STAT: SharedStat = { lines: new Map(), asked: new Set() };

export function parseStatLines(output: string, asked: ReadonlySet<string>): SharedStat {
  const lines = new Map<string, StatLine>();
  let now: number | undefined;
  let unreadable = false;
  for (const line of output.split("\n")) {
    const fields = line.split("|");
    const quotedName = fields.slice(10).join("|");
    if (fields.length < 11 || !statable(fields[0]!) || !quotedName.startsWith(`'${fields[0]}'`)) {
      if (line) unreadable = true;
      continue;
    }
    const [path, , , size, mtime, ctime, type, owner, group, mode] = fields as Fields<10>;
    if (path === NOW_PATH) {
      now = Number(ctime);
      continue;
    }
    const link = /^'[^']*' -> '([^']*)'$/.exec(quotedName)?.[1];
    const entry: StatLine = {
      path,
      line,
      type,
      owner,
      group,
      mode,
      size: Number(size),
      mtime: Number(mtime),
      ctime: Number(ctime),
      mtimeText: mtime,
      ctimeText: ctime,
    };
    if (type === "symbolic link" && link !== undefined)
      Object.assign(entry, { link, target: posix.resolve(posix.dirname(path), link) });
    lines.set(path, entry);
  }
  return { lines, asked, now: now !== undefined && Number.isFinite(now) ? now : undefined, unreadable };
}

/** Each line of a stat output by its path, unparsed (what a comparison of whole lines needs). */
export function linesByPath(output: string): Map<string, string> {
  return new Map(output.split("\n").map((line) => [line.slice(0, line.indexOf("|")), line]));
}
