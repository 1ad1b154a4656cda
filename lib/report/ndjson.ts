// NDJSON reporter (--json): one masked JSON object per line, every event docs/events.md lists; the scripts sent
// (`command` events) only at -vv, as the human output shows them.
import { maskDeep } from "../mask.ts";
import type { Reporter, RunEvent } from "./events.ts";

/** One event as --json prints it (and the run history keeps it): masked before it is serialised, with its ISO time. */
export function eventLine(event: RunEvent, time: Date = new Date()): string {
  return `${JSON.stringify(maskDeep({ ...event, time: time.toISOString() }))}\n`;
}

export function ndjsonReporter(
  verbosity = 0,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Reporter {
  return {
    emit(event: RunEvent) {
      if (event.type === "command" && verbosity < 2) return;
      write(eventLine(event));
    },
    close() {},
  };
}
