// A run as the history keeps it: a header line (what ran, who, where, how it ended, which hosts to rerun) followed by
// the run's events, each line exactly as --json prints it (masked the same way).
import { maskDeep } from "../mask.ts";
import type { Counts, RunEvent } from "./events.ts";
import { eventLine } from "./ndjson.ts";

export interface RunHeader {
  type: "run";
  /** Sortable by time: `YYYYMMDD-HHMMSS.mmm-xxxx` (UTC, then 4 random hex digits). */
  id: string;
  playbook: string;
  environment: string;
  check: boolean;
  /** The --limit of the run, as given (absent: every host). */
  limit?: string;
  /** The repository's commit when it ran (absent outside a git checkout). */
  commit?: string;
  user: string;
  /** The machine the run was started on. */
  controller: string;
  /** Epoch ms. */
  startedAt: number;
  durationMs: number;
  exitCode: number;
  hosts: Record<string, Counts>;
  /** The hosts `--limit @failed` reruns (failed, unreachable, or a play skipped), each with why. */
  rerun: Record<string, string>;
}

/** A recorded event: the event and the ISO time it was written. */
export type RecordedEvent = RunEvent & { time: string };

export interface RunRecord {
  header: RunHeader;
  events: RecordedEvent[];
}

/** A record's text: the masked header, then one --json line per event. */
export function recordText(header: RunHeader, events: readonly { event: RunEvent; time: Date }[]): string {
  return `${JSON.stringify(maskDeep(header))}\n${events.map(({ event, time }) => eventLine(event, time)).join("")}`;
}

/** The header of a record's text, read from its first line. */
export function parseHeader(firstLine: string): RunHeader {
  const header = JSON.parse(firstLine) as RunHeader;
  if (header.type !== "run") throw new Error("not a run record (its first line is no run header)");
  return header;
}

/** A whole record from its text. */
export function parseRecord(text: string): RunRecord {
  const [first = "", ...lines] = text.split("\n").filter(Boolean);
  return { header: parseHeader(first), events: lines.map((line) => JSON.parse(line) as RecordedEvent) };
}
