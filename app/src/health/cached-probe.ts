// Share database probes between health checks: one probe in flight at a time, its result reused for `ttlMs` after it settles.
export function cachedProbe<T>(probe: () => Promise<T>, ttlMs: number, now: () => number = Date.now): () => Promise<T> {
  let latest: { result: Promise<T>; settledAt: number | undefined } | undefined;
  return () => {
    const expired = latest?.settledAt !== undefined && now() - latest.settledAt >= ttlMs;
    if (!latest || expired) {
      const entry = { result: probe(), settledAt: undefined as number | undefined };
      const settle = () => {
        entry.settledAt = now();
      };
      entry.result.then(settle, settle);
      latest = entry;
    }
    return latest.result;
  };
}
