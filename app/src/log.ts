// Structured logging: one JSON object per line on stdout (journald keeps it).
export type LogFields = Record<string, unknown>;
export type Logger = (event: string, fields?: LogFields) => void;

/** The production logger: `{"time":…,"event":…,…fields}` on stdout. */
export const stdoutLogger: Logger = (event, fields = {}) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), event, ...fields })}\n`);
};

/** The message of anything thrown, for a log line. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
