// Bounded polling: repeat a check until it passes or the time is up (deploy waits, readiness).

export interface PollResult<T> {
  ok: boolean;
  /** The last value the check produced (for the error message when it never passed). */
  last: T | undefined;
  elapsedMs: number;
}

/** Call `check` every `intervalMs` until `passes(value)` or `timeoutMs` elapsed. Errors count as not passing. */
export async function poll<T>(
  check: () => Promise<T>,
  passes: (value: T) => boolean,
  options: { timeoutMs: number; intervalMs: number },
): Promise<PollResult<T>> {
  const started = Date.now();
  let last: T | undefined;
  for (;;) {
    try {
      last = await check();
      if (passes(last)) return { ok: true, last, elapsedMs: Date.now() - started };
    } catch {
      // a failed probe is "not yet"; the caller reports `last` when time runs out
    }
    if (Date.now() - started >= options.timeoutMs) return { ok: false, last, elapsedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs));
  }
}
