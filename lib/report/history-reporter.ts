// Records a run in the history: events are only kept while the run works (no masking, no serialising, no disk on the
// way); at its end they are masked as --json masks them and written as one record, and the bound applied.
import type { Reporter, RunEvent } from "./events.ts";
import { RerunHosts } from "./rerun.ts";
import { newRunId, writeRecord, type HistoryBound } from "./history-store.ts";
import type { RunOrigin } from "./run-origin.ts";
import { recordText, type RunHeader } from "./run-record.ts";

export interface HistoryOptions {
  dir: string;
  /** The environment's bound, asked for at the end of the run. */
  bound: () => HistoryBound;
  /** The run's --limit as given. */
  limit?: string;
  /** Who and where, asked for at the end of the run. */
  origin: () => RunOrigin;
  /** Told when the record could not be written (the run's exit code stands). */
  warn: (message: string) => void;
  now?: () => number;
}

export function historyReporter(options: HistoryOptions): Reporter {
  const now = options.now ?? Date.now;
  const kept: { event: RunEvent; time: Date }[] = [];
  const rerun = new RerunHosts();
  let startedAt = 0;
  return {
    emit(event) {
      // The scripts sent (-vv) are not kept: they are the run's bulk, and what they did is in the task events.
      if (event.type === "command") return;
      if (event.type === "start") startedAt = now();
      rerun.note(event);
      kept.push({ event, time: new Date() });
    },
    close() {
      const start = kept.find(({ event }) => event.type === "start")?.event;
      const recap = kept.find(({ event }) => event.type === "recap")?.event;
      if (start?.type !== "start" || recap?.type !== "recap") return;
      const header: RunHeader = {
        type: "run",
        id: newRunId(startedAt),
        playbook: start.playbook,
        environment: start.environment,
        check: start.check,
        ...(options.limit ? { limit: options.limit } : {}),
        ...options.origin(),
        startedAt,
        durationMs: recap.durationMs,
        exitCode: recap.exitCode,
        hosts: recap.hosts,
        rerun: rerun.hosts,
      };
      try {
        writeRecord(options.dir, header, recordText(header, kept), options.bound(), now());
      } catch (error) {
        options.warn(`the run was not recorded in ${options.dir}: ${(error as Error).message}`);
      }
    },
  };
}
