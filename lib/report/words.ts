// How reports say counts and durations: "1 host", "2 hosts"; "36 ms" under a tenth of a second, "1.4 s" above.

/** `count` and the noun, plural when count is not 1. */
export function counted(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? "" : "s"}`;
}

/** A duration as a person reads it: milliseconds under 0.1 s (where "0.0 s" would say nothing), else seconds. */
export function duration(ms: number, digits = 1): string {
  return ms < 100 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(digits)} s`;
}
