// NDJSON reporter (--json): one masked JSON object per line: every event, task results, the recap.
import { maskDeep } from "../mask.ts";
import type { Reporter, RunEvent } from "./events.ts";

export function ndjsonReporter(write: (line: string) => void = (line) => process.stdout.write(line)): Reporter {
  return {
    emit(event: RunEvent) {
      write(`${JSON.stringify(maskDeep({ ...event, time: new Date().toISOString() }))}\n`);
    },
    close() {},
  };
}
