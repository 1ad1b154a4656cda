// Keep trying the startup migration until it succeeds, so the app serves (and reports health) while the primary is down.
import { errorMessage, type Logger } from "../log.ts";

export interface BackgroundMigration {
  /** Settles once the migration succeeded or stop() was called. */
  finished: Promise<void>;
  stop(): void;
}

export function migrateInBackground(
  migrate: () => Promise<string[]>,
  log: Logger,
  retryMs = 5000,
): BackgroundMigration {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let wake: () => void = () => {};

  const pause = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, retryMs);
    });

  const finished = (async () => {
    for (let attempt = 1; !stopped; attempt++) {
      try {
        const applied = await migrate();
        log("migrations", { applied });
        return;
      } catch (error) {
        log("migrations failed", { attempt, error: errorMessage(error), retryInMs: retryMs });
      }
      if (!stopped) await pause();
    }
  })();

  return {
    finished,
    stop() {
      stopped = true;
      clearTimeout(timer);
      wake();
    },
  };
}
