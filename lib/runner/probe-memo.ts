// Probe memo: a probe block whose output depends only on some files is answered from the output saved by an earlier
// exec while those files' lines in the exec's shared stat (lib/runner/shared-stat.ts) are unchanged: the host then
// starts no process for it. A block is marked with memoBlock(); the runner gates it (lib/runner/script.ts).
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { quote } from "../shell.ts";
import { statable, type SharedStat } from "./shared-stat.ts";

const BEGIN = "# foobar:memo ";
const END = "# foobar:memo-end";
/** Files changed this recently may change again within the same timestamp tick: their blocks are not saved. */
const RACY_SECONDS = 1;
/** Bumped when the memo's format or meaning changes: older files are ignored. */
const FORMAT_VERSION = 1;

/**
 * Mark `body` (a probe part: its stdout is kept, its exit status is not) as depending only on the content and metadata
 * of `paths`. Paths a stat line cannot carry leave the body as it is: it then runs every time.
 */
export function memoBlock(paths: readonly string[], body: string): string {
  if (paths.length === 0 || !paths.every(statable)) return body;
  if (body.includes(BEGIN) || body.includes(END)) throw new Error("memoBlock: blocks do not nest");
  return `${BEGIN}${paths.join(" ")}\n${body}\n${END}`;
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
}

/** The memo of one host, kept in <dir>/<environment>/<host>.memo.json (mode 0600); a null dir keeps it in memory. */
export class ProbeMemo {
  private entries = new Map<string, MemoEntry>();
  private pending = new Map<string, string[]>();
  private used = new Set<string>();
  private dirty = false;

  constructor(private readonly file: string | null) {
    if (!file) return;
    try {
      const saved = JSON.parse(readFileSync(file, "utf8")) as MemoFile;
      if (saved.version !== FORMAT_VERSION) return;
      this.entries = new Map(Object.entries(saved.entries));
      this.pending = new Map(Object.entries(saved.pending));
    } catch {
      // No memo yet (or unreadable): every block runs.
    }
  }

  static forHost(dir: string | null, environment: string, host: string): ProbeMemo {
    return new ProbeMemo(dir ? join(dir, environment, `${host}.memo.json`) : null);
  }

  /** Paths the shared stat must include for a block: its own, the link targets its entry knows, and pending ones. */
  statPaths(key: string, paths: readonly string[]): string[] {
    return [...new Set([...paths, ...Object.keys(this.entries.get(key)?.lines ?? {}), ...(this.pending.get(key) ?? [])])];
  }

  /** The stat lines a block's entry was saved with, when it has one (the gate's condition). */
  expected(key: string): Record<string, string | null> | undefined {
    return this.entries.get(key)?.lines;
  }

  /** The saved output, if every line still matches what the shared stat saw. */
  answer(key: string, stat: SharedStat): string | undefined {
    const entry = this.entries.get(key);
    const matches = ([path, line]: [string, string | null]) => stat.asked.has(path) && (stat.lines.get(path)?.line ?? null) === line;
    if (!entry || !Object.entries(entry.lines).every(matches)) return undefined;
    this.used.add(key);
    return entry.output;
  }

  /** Save a block's output with the lines of its paths and of the link targets they lead to; skipped when racy. */
  record(key: string, paths: readonly string[], output: string, stat: SharedStat): void {
    this.used.add(key);
    const lines: Record<string, string | null> = {};
    const missing: string[] = [];
    const visit = (path: string) => {
      if (path in lines || missing.includes(path)) return;
      if (!stat.asked.has(path) || !statable(path)) {
        missing.push(path);
        return;
      }
      const seen = stat.lines.get(path);
      lines[path] = seen?.line ?? null;
      if (seen?.target !== undefined) visit(seen.target);
    };
    paths.forEach(visit);
    const now = stat.now;
    const racy = now === undefined || Object.keys(lines).some((path) => {
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
    const saved: MemoFile = { version: FORMAT_VERSION, entries: Object.fromEntries(this.entries), pending: Object.fromEntries(this.pending) };
    mkdirSync(dirname(this.file), { recursive: true });
    writeFileSync(this.file, `${JSON.stringify(saved)}\n`, { mode: 0o600 });
    chmodSync(this.file, 0o600);
    this.dirty = false;
  }
}

/** The key of a block: its paths and body (a changed probe is a new block). */
export function blockKey(paths: string, body: string): string {
  return createHash("sha256").update(`${paths}\n${body}`).digest("hex").slice(0, 20);
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

export const gateArguments = (lines: Record<string, string | null>) =>
  Object.entries(lines).map(([path, line]) => quote(line ?? `!${path}`)).join(" ");

const BLOCK = `${BEGIN}(.*)\\n([\\s\\S]*?)\\n${END}`;
/** Every block in a probe (line-anchored). */
export const MEMO_BLOCK = new RegExp(`^${BLOCK}$`, "gm");
const WHOLE = new RegExp(`^${BLOCK}$`);

/** The paths and body of a probe that is one block and nothing else. */
export function wholeBlock(probe: string): { paths: string; body: string } | undefined {
  const match = WHOLE.exec(probe);
  // A lazy body could still span several blocks: bodies never hold a marker, so one that does is not one block.
  if (!match || match[2]!.includes(END)) return undefined;
  return { paths: match[1]!, body: match[2]! };
}

export const hasMemoBlock = (probe: string) => probe.includes(BEGIN);
