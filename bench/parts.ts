// The parts `npm run bench -- --only PART,...` can measure, and which of them run on the lab's booted hosts.
export const PARTS = ["engine", "first-converge", "as-typed", "site-noop", "ansible", "scale", "web"] as const;
export type Part = (typeof PARTS)[number];

/** The parts measured on the lab's hosts (a run of only the others boots no lab). */
export const LAB_PARTS: readonly Part[] = ["first-converge", "as-typed", "site-noop", "ansible", "web"];
