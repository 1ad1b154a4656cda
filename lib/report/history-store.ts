// The run history on disk: DIR/<environment>/<id>.ndjson, mode 0600 in 0700 directories, bounded per environment to
// its last `runs` records and `days` days; listing reads each record's header line only.
import { randomBytes } from "node:crypto";
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { parseHeader, parseRecord, type RunHeader, type RunRecord } from "./run-record.ts";

/** How much history an environment keeps: a record goes once it is not among the last `runs` or older than `days`. */
export interface HistoryBound {
  runs: number;
  days: number;
}

const SUFFIX = ".ndjson";
const DAY_MS = 86_400_000;

/** A new record's id for a run started at `startedAt`: its UTC time to the millisecond (ids sort as runs started),
 * then 4 random hex digits (`20261205-141217.123-a3f9`). */
export function newRunId(startedAt: number): string {
  const stamp = new Date(startedAt).toISOString().replace(/[-:]/g, "").replace("T", "-").slice(0, 19);
  return `${stamp}-${randomBytes(2).toString("hex")}`;
}

/** When a record was started, from its id (epoch ms). */
function idTime(id: string): number {
  const match = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})\.(\d{3})-/.exec(id);
  return match ? Date.UTC(+match[1]!, +match[2]! - 1, +match[3]!, +match[4]!, +match[5]!, +match[6]!, +match[7]!) : 0;
}

const idsIn = (dir: string) =>
  readdirSync(dir)
    .filter((name) => name.endsWith(SUFFIX))
    .map((name) => name.slice(0, -SUFFIX.length))
    .sort();

const environmentsIn = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);

/** Write one record (0600, never over another) and drop what its environment's bound no longer keeps. */
export function writeRecord(dir: string, header: RunHeader, text: string, bound: HistoryBound, now: number): string {
  const environmentDir = join(dir, header.environment);
  mkdirSync(environmentDir, { recursive: true, mode: 0o700 });
  const file = join(environmentDir, `${header.id}${SUFFIX}`);
  writeFileSync(file, text, { mode: 0o600, flag: "wx" });
  pruneEnvironment(environmentDir, bound, now);
  return file;
}

/** Remove the records of one environment's directory that its bound no longer keeps. */
export function pruneEnvironment(environmentDir: string, bound: HistoryBound, now: number): void {
  const newestFirst = idsIn(environmentDir).reverse();
  newestFirst.forEach((id, index) => {
    if (index >= bound.runs || now - idTime(id) > bound.days * DAY_MS)
      rmSync(join(environmentDir, `${id}${SUFFIX}`), { force: true });
  });
}

/** A record's first line, read without reading the rest: bytes up to the first newline, decoded once (a character
 * split across two reads stays whole; a newline byte is never part of a longer UTF-8 character). */
function firstLine(file: string): string {
  const fd = openSync(file, "r");
  try {
    const read: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.alloc(16_384);
      const size = readSync(fd, chunk, 0, chunk.length, null);
      const end = chunk.subarray(0, size).indexOf(0x0a);
      read.push(chunk.subarray(0, end >= 0 ? end : size));
      if (end >= 0 || size === 0) return Buffer.concat(read).toString("utf8");
    }
  } finally {
    closeSync(fd);
  }
}

/** Every record's header, oldest first: of one environment, or of all. Unreadable records are left out. */
export function listHeaders(dir: string, environment?: string): RunHeader[] {
  let environments: string[];
  try {
    environments = environment ? [environment] : environmentsIn(dir);
  } catch {
    return []; // no history yet
  }
  return environments
    .flatMap((name) => {
      try {
        return idsIn(join(dir, name)).map((id) => join(dir, name, `${id}${SUFFIX}`));
      } catch {
        return [];
      }
    })
    .flatMap((file) => {
      try {
        return [parseHeader(firstLine(file))];
      } catch {
        return [];
      }
    })
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** The header of the record `given` names: its whole id, or a prefix or a `-xxxx` ending only it has. */
export function findHeader(dir: string, given: string): RunHeader {
  const headers = listHeaders(dir);
  const exact = headers.find((header) => header.id === given);
  if (exact) return exact;
  const matching = headers.filter((header) => header.id.startsWith(given) || header.id.endsWith(`-${given}`));
  if (matching.length === 1) return matching[0]!;
  if (matching.length === 0) throw new InputError([`no run "${given}" in the history (${dir})`]);
  throw new InputError([
    `"${given}" names ${matching.length} runs (${matching.map((header) => header.id).join(", ")}): give more of the id`,
  ]);
}

/** The whole record `given` names (see findHeader). */
export function readRecord(dir: string, given: string): RunRecord {
  const header = findHeader(dir, given);
  return parseRecord(readFileSync(join(dir, header.environment, `${header.id}${SUFFIX}`), "utf8"));
}

/** The newest record of `playbook` on `environment`, or undefined. */
export function lastRunOf(dir: string, playbook: string, environment: string): RunHeader | undefined {
  return listHeaders(dir, environment)
    .filter((header) => header.playbook === playbook)
    .at(-1);
}
