// Probe memo: a probe block whose output depends only on some files is answered from the output saved by an earlier
// exec while those files' lines in the exec's shared stat (shared-stat.ts) are unchanged: the host then starts no
// process for it. A probe names its block's files (dependsOn, see probe.ts); the runner gates it (lib/runner/script.ts).
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, posix } from "node:path";
import { quote } from "../shell.ts";
import {
  childGlobOf,
  childrenOf,
  isChildGlob,
  linesByPath,
  statable,
  statPattern,
  wasAsked,
  type SharedStat,
} from "./shared-stat.ts";

/** Files changed this recently may change again within the same timestamp tick: their blocks are not saved. */
const RACY_SECONDS = 1;
/** Bumped when the memo's format or meaning changes: older files are ignored. */
const FORMAT_VERSION = 1;

/** Shell whose stdout (its exit status is not kept) depends only on the content and metadata of `paths`. */
export interface MemoBlock {
  paths: readonly string[];
  body: string;
}

/**
 * `body` as a memo block on `paths` (a child glob, see isChildGlob, stands for every subdirectory of a directory);
 * no paths (a probe that names none), or paths a stat line cannot carry, leave the body as it is: it then runs every time.
 */
export function memoBlock(paths: readonly string[] | undefined, body: string): MemoBlock | string {
  return !paths || paths.length === 0 || !paths.every(statPattern) ? body : { paths, body };
}

/** A block's saved answer: the stat line of each path it depends on (null: absent), and what it printed. */
interface MemoEntry {
  lines: Record<string, string | null>;
  output: string;
}

interface MemoFile {
  version: number;
  entries: Record<string, MemoEntry>;
  /** Paths to stat next time: link targets first seen in the last exec (no line for them yet). */
  pending: Record<string, string[]>;
  /** The last exec's shared stat lines, without the clock line (see sameStatCheck). */
  stat?: string;
}

/** The memo of one host, kept in <dir>/<environment>/<host>.memo.json (mode 0600); a null dir keeps it in memory. */
export class ProbeMemo {
  private entries = new Map<string, MemoEntry>();
  private pending = new Map<string, string[]>();
  private used = new Set<string>();
  private dirty = false;
  private lastStat: string | undefined;
  private lastStatLines: Map<string, string> | undefined;

  constructor(private readonly file: string | null) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as MemoFile;
      if (saved.version !== FORMAT_VERSION) return;
      this.entries = new Map(Object.entries(saved.entries));
      this.pending = new Map(Object.entries(saved.pending));
      this.lastStat = saved.stat;
    } catch {
      // No memo yet (or unreadable): every block runs.
    }
  }

  static forHost(dir: string | null, environment: string, host: string): ProbeMemo {
    return new ProbeMemo(dir ? join(dir, environment, `${host}.memo.json`) : null);
  }

  /**
   * Paths the shared stat must include for a block. With a saved entry: the paths it was saved with (which include the
   * link targets found, and leave out absent paths their directory's line stands for) and the child globs, which match
   * the subdirectories again. Without one: its own paths and pending ones.
   */
  statPaths(key: string, paths: readonly string[]): string[] {
    const globs = paths.filter(isChildGlob);
    const saved = Object.keys(this.entries.get(key)?.lines ?? {}).filter(
      (path) => !globs.includes(childGlobOf(path) ?? ""),
    );
    return [...new Set(this.entries.has(key) ? [...saved, ...globs] : [...paths, ...(this.pending.get(key) ?? [])])];
  }

  /**
   * The gate's condition for a block with an entry: its lines in $FOOBAR_STAT, or, when they are the lines the last
   * exec saw, the cheaper check that the whole stat is unchanged (set by sameStatCheck).
   */
  gate(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const check = `foobar_fresh ${gateArguments(entry.lines)}`;
    if (this.lastStat === undefined) return check;
    this.lastStatLines ??= linesByPath(this.lastStat);
    const last = this.lastStatLines;
    const sameAsLast = Object.entries(entry.lines).every(([path, line]) => (last.get(path) ?? null) === line);
    return sameAsLast ? `[ -n "$foobar_same" ] || ${check}` : check;
  }

  /**
   * Shell setting $foobar_same when this exec's stat printed exactly the lines of the last one: one comparison instead
   * of a search of $FOOBAR_STAT per line of every block. A block whose lines the last stat showed is then unchanged
   * too: every path of its entry was asked this time, and the same output shows the same lines and absences.
   */
  sameStatCheck(): string {
    return this.lastStat === undefined
      ? "foobar_same="
      : `foobar_same=; [ "\${FOOBAR_STAT#*"$FOOBAR_NL"}" = ${quote(this.lastStat)} ] && foobar_same=1`;
  }

  /** Keep an exec's stat output (what sameStatCheck compares the next one with). */
  rememberStat(output: string): void {
    const lines = output.replace(/\n$/, "");
    const rest = lines.includes("\n") ? lines.slice(lines.indexOf("\n") + 1) : undefined;
    if (rest === this.lastStat) return;
    this.lastStat = rest;
    this.lastStatLines = undefined;
    this.dirty = true;
  }

  /** The saved output, if every line still matches what the shared stat saw. */
  answer(key: string, stat: SharedStat): string | undefined {
    const entry = this.entries.get(key);
    const matches = ([path, line]: [string, string | null]) =>
      wasAsked(stat, path) && (stat.lines.get(path)?.line ?? null) === line;
    if (!entry || !Object.entries(entry.lines).every(matches)) return undefined;
    this.used.add(key);
    return entry.output;
  }

  /**
   * Save a block's output with the lines of its paths, of the subdirectories its globs matched and of the link targets
   * they lead to; skipped when racy.
   */
  record(key: string, paths: readonly string[], output: string, stat: SharedStat): void {
    this.used.add(key);
    const lines: Record<string, string | null> = {};
    const missing: string[] = [];
    const visit = (path: string) => {
      if (path in lines || missing.includes(path)) return;
      if (isChildGlob(path)) {
        const children = stat.asked.has(path) ? childrenOf(stat, path) : undefined;
        if (children === undefined) missing.push(path);
        else children.forEach(visit);
        return;
      }
      if (!wasAsked(stat, path) || !statable(path)) {
        missing.push(path);
        return;
      }
      const seen = stat.lines.get(path);
      lines[path] = seen?.line ?? null;
      if (seen?.target !== undefined) visit(seen.target);
    };
    paths.forEach(visit);
    dropImpliedAbsences(lines, stat);
    const now = stat.now;
    const racy =
      now === undefined ||
      Object.keys(lines).some((path) => {
        const seen = stat.lines.get(path);
        return seen !== undefined && Math.max(seen.mtime, seen.ctime) > now - RACY_SECONDS;
      });
    if (missing.length > 0 || racy) {
      if (this.entries.delete(key)) this.dirty = true;
      if (missing.some(statable)) {
        this.pending.set(key, [...Object.keys(lines), ...missing.filter(statable)]);
        this.dirty = true;
      }
      return;
    }
    this.entries.set(key, { lines, output });
    this.pending.delete(key);
    this.dirty = true;
  }

  /** Write the entries used by this run (others belonged to probes that no longer exist or did not run). */
  save(): void {
    if (!this.file) return;
    const stale = [...this.entries.keys(), ...this.pending.keys()].filter((key) => !this.used.has(key));
    if (!this.dirty && stale.length === 0) return;
    stale.forEach((key) => {
      this.entries.delete(key);
      this.pending.delete(key);
    });
    const saved: MemoFile = {
      version: FORMAT_VERSION,
      entries: Object.fromEntries(this.entries),
      pending: Object.fromEntries(this.pending),
      stat: this.lastStat,
    };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
    this.dirty = false;
  }
}

/**
 * An absent path in a directory whose own line is kept (or which is absent itself) needs no check of its own: creating
 * it changes that directory's mtime (or creates it). Fewer checks make the host's gate cheaper.
 */
function dropImpliedAbsences(lines: Record<string, string | null>, stat: SharedStat): void {
  for (const [path, line] of Object.entries(lines)) {
    const parent = posix.dirname(path);
    if (line !== null || parent === path || !(parent in lines)) continue;
    if (lines[parent] === null || stat.lines.get(parent)?.type === "directory") delete lines[path];
  }
}

/** The key of a block: its paths and body (a changed probe is a new block). */
export function blockKey(block: MemoBlock): string {
  return createHash("sha256")
    .update(`${block.paths.join(" ")}\n${block.body}`)
    .digest("hex")
    .slice(0, 20);
}

/** The shell function gates call: true when every expected line is in $FOOBAR_STAT ("!path": the path is absent). */
export const FRESH_FUNCTION = [
  "FOOBAR_NL='",
  "'",
  "foobar_fresh() {",
  "  for foobar_line; do",
  "    case $foobar_line in",
  '    !*) case "$FOOBAR_NL$FOOBAR_STAT" in *"$FOOBAR_NL${foobar_line#!}|"*) return 1 ;; esac ;;',
  '    *) case "$FOOBAR_NL$FOOBAR_STAT$FOOBAR_NL" in *"$FOOBAR_NL$foobar_line$FOOBAR_NL"*) ;; *) return 1 ;; esac ;;',
  "    esac",
  "  done",
  "}",
].join("\n");

const gateArguments = (lines: Record<string, string | null>) =>
  Object.entries(lines)
    .map(([path, line]) => quote(line ?? `!${path}`))
    .join(" ");
