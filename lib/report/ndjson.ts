// NDJSON reporter (--json): one masked JSON object per line, every event docs/events.md lists; the scripts sent
// (`command` events) only at -vv, as the human output shows them.
import { maskDeep } from "../mask.ts";
import type { Reporter, RunEvent } from "./events.ts";

export function ndjsonReporter(
  verbosity = 0,
  write: (line: string) => void = (line) => process.stdout.write(line),
): Reporter {
  return {
    emit(event: RunEvent) {
      if (event.type === "command" && verbosity < 2) return;
      write(`${JSON.stringify(maskDeep({ ...event, time: new Date().toISOString() }))}\n`);
    },
    close() {},
  };
}
