// Run events: what the runner tells reporters (human, NDJSON) while it works.
import type { Change } from "../resources/resource.ts";

export type TaskStatus = "ok" | "changed" | "failed" | "skipped";

export interface Counts {
  ok: number;
  changed: number;
  failed: number;
  unreachable: number;
  skipped: number;
}

export type RunEvent =
  /** hostPlays: how many plays each host has in this run (the live progress's done/total). */
  | {
      type: "start";
      playbook: string;
      environment: string;
      hosts: string[];
      check: boolean;
      hostPlays?: Record<string, number>;
    }
  | { type: "play"; play: string; hosts: string[] }
  /**
   * startedAt (epoch ms) and durationMs: the exec that applied it (with the re-probe of what follows); 0 for a task
   * planned from a probe, a play skipped and a host's failed exec (when it was reported). A play's handlers run in one
   * exec: each shows that exec's time.
   */
  | {
      type: "task";
      play: string;
      host: string;
      id: string;
      status: TaskStatus;
      changes?: Change[];
      message?: string;
      handler?: boolean;
      startedAt: number;
      durationMs: number;
    }
  /** One host's part of one play, start (epoch ms) to end; play "gather facts": login, facts and the first probe. */
  | { type: "host-play"; play: string; host: string; startedAt: number; durationMs: number }
  | { type: "unreachable"; host: string; message: string }
  /** The host's converge lock is held by another run: this one waits for it. */
  | { type: "waiting"; host: string; message: string }
  | { type: "command"; host: string; script: string }
  /** The run's metrics written to the inventory's runMetrics host (`files`), or why they were not (`error`). */
  | { type: "metrics"; host: string; files: number; error?: string }
  | { type: "recap"; hosts: Record<string, Counts>; durationMs: number; exitCode: number; check: boolean };

export interface Reporter {
  emit(event: RunEvent): void;
  /** Flush and stop any live display. */
  close(): void;
}

export function emptyCounts(): Counts {
  return { ok: 0, changed: 0, failed: 0, unreachable: 0, skipped: 0 };
}

/** Send every event to several reporters (e.g. the terminal and a test recorder). */
export function fanOut(...reporters: Reporter[]): Reporter {
  return {
    emit: (event) => reporters.forEach((reporter) => reporter.emit(event)),
    close: () => reporters.forEach((reporter) => reporter.close()),
  };
}
