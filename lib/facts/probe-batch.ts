// Batching: the probes of one exec whose parts are all of batchable kinds share one command per kind (one process
// start instead of one per resource), or none when the exec's shared stat answers them; each probe still gets the
// exact text its own shell would have printed (for a probe of several parts: its parts' answers, in order).
import { BATCH_ORDER, PROBE_KINDS, type BatchOf, type ShellPiece } from "./probe-kinds.ts";
import { partsOf, type Probe, type ProbeKind, type ProbePart } from "./probe.ts";
import { NO_STAT, type SharedStat } from "./shared-stat.ts";

/** Where one part of a batched probe is answered: its kind's batch, at a position among that batch's members. */
interface BatchSlot {
  kind: ProbeKind;
  member: number;
}

export interface BatchPlan {
  /** Probe index -> the slots its parts are answered from, in order; probes not in it run on their own. */
  slots: Map<number, BatchSlot[]>;
  /** Each batch formed, in the order its section runs: its kind and its members. */
  batches: { kind: ProbeKind; members: ProbePart[] }[];
}

/** A kind's batch, over parts of any kind (each batch only ever holds parts of its own). */
const batchOf = (kind: ProbeKind) => PROBE_KINDS[kind].batch as BatchOf<ProbePart> | undefined;

/** Batchable when every part is of a batching kind that accepts it. */
function batchable(parts: readonly ProbePart[]): boolean {
  return parts.length > 0 && parts.every((part) => batchOf(part.kind)?.accepts(part) === true);
}

/**
 * A kind forms a batch when two or more probes use it, or when a probe combining several parts needs it: a no-op's
 * cost on the host is mostly process starts. A probe is batched when all its parts' kinds formed one.
 */
export function planBatches(probes: readonly Probe[]): BatchPlan {
  const candidates = new Map<number, readonly ProbePart[]>();
  probes.forEach((probe, index) => {
    const parts = partsOf(probe);
    if (batchable(parts)) candidates.set(index, parts);
  });
  const formed = new Set(
    BATCH_ORDER.filter((kind) => {
      const users = [...candidates.values()].filter((parts) => parts.some((part) => part.kind === kind));
      return users.length >= 2 || users.some((parts) => parts.length > 1);
    }),
  );
  const members = new Map<ProbeKind, ProbePart[]>(BATCH_ORDER.map((kind) => [kind, []]));
  const slots = new Map<number, BatchSlot[]>();
  for (const [index, parts] of candidates) {
    if (!parts.every((part) => formed.has(part.kind))) continue;
    slots.set(
      index,
      parts.map((part) => {
        const list = members.get(part.kind)!;
        list.push(part);
        return { kind: part.kind, member: list.length - 1 };
      }),
    );
  }
  return {
    slots,
    batches: BATCH_ORDER.filter((kind) => members.get(kind)!.length > 0).map((kind) => ({
      kind,
      members: members.get(kind)!,
    })),
  };
}

/** The batch's command as shell pieces; none for a kind answered from the shared stat alone. */
export function batchScript(batch: BatchPlan["batches"][number]): ShellPiece[] | undefined {
  const script = batchOf(batch.kind)!.script?.(batch.members);
  return script === undefined ? undefined : [script].flat();
}

/** Every path the batches read from the shared stat. */
export function batchStatPaths(plan: BatchPlan): string[] {
  return plan.batches.flatMap((batch) => batchOf(batch.kind)!.statPaths?.(batch.members) ?? []);
}

/**
 * Each batched probe's answer from its batches' outputs and the exec's shared stat (undefined: the stat did not run; a
 * kind without a command of its own needs only the stat); undefined where a batch did not answer (a script cut short).
 */
export function answerBatches(
  plan: BatchPlan,
  outputs: ReadonlyMap<ProbeKind, string>,
  stat: SharedStat | undefined,
): Map<number, string | undefined> {
  const answers = new Map<ProbeKind, string[]>();
  for (const batch of plan.batches) {
    const kind = batchOf(batch.kind)!;
    const output = kind.script ? outputs.get(batch.kind) : stat === undefined ? undefined : "";
    if (output !== undefined) answers.set(batch.kind, kind.split(output, batch.members, stat ?? NO_STAT));
  }
  return new Map(
    [...plan.slots].map(([index, slots]) => {
      const parts = slots.map((slot) => answers.get(slot.kind)?.[slot.member]);
      return [index, parts.every((part) => part !== undefined) ? parts.join("") : undefined];
    }),
  );
}
