// A script's sections as values, beside its text: what a transport that answers without a shell reads (the fake in
// lib/testing/); real transports run the text.
import type { ProbeKind, ProbePart } from "../facts/probe.ts";

/** An apply step; `lockWaitSeconds` marks the converge lock's step (lib/runner/host-lock.ts) and how long it waits. */
export interface Step {
  script: string;
  lockWaitSeconds?: number;
}

/** One framed section: an apply step, a probe run on its own, or the batch of one probe kind. */
export type PlannedSection = { label: string } & (
  | { step: Step }
  | { probe: readonly ProbePart[] }
  | { batch: ProbeKind; members: readonly ProbePart[] }
);

export interface ScriptPlan {
  /** The frame line's marker: each section's output is followed by "\n<boundary> <label> <status>\n". */
  boundary: string;
  sections: PlannedSection[];
}
