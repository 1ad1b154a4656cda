// Fact: a systemd unit's load, active and unit-file states and when it last became active (systemctl show).
import { quote } from "../shell.ts";
import { ProbeParseError } from "../resources/resource.ts";
import { unitBatchable, UNIT_BATCH_PREFIX, UNIT_SHOW } from "./unit-batch.ts";

export interface UnitState {
  /** loaded, not-found, masked, ... */
  load: string;
  /** active, inactive, failed, activating, reloading, deactivating */
  active: string;
  /** enabled, disabled, static, masked, indirect, generated, "" when unknown */
  unitFile: string;
  /** When it last became active, in epoch seconds; null when it never did. */
  activeSince: number | null;
}

/** The probe's command without the batch marker. */
export function unitShow(unit: string): string {
  return `${UNIT_SHOW} ${quote(unit)}`;
}

/** Probe snippet, marked so the runner may answer it from one batched `systemctl show` (lib/facts/unit-batch.ts). */
export function unitProbe(unit: string): string {
  const marker = unitBatchable(unit) ? `${UNIT_BATCH_PREFIX}${unit}\n` : "";
  return marker + unitShow(unit);
}

export function parseUnit(id: string, stdout: string): UnitState {
  const fields = new Map(stdout.split("\n").filter(Boolean).map((text) => text.split("=", 2) as [string, string]));
  const load = fields.get("LoadState");
  const active = fields.get("ActiveState");
  if (!load || !active) throw new ProbeParseError(id, "no LoadState/ActiveState", stdout);
  const since = /^@(\d+)$/.exec(fields.get("ActiveEnterTimestamp") ?? "")?.[1];
  return { load, active, unitFile: fields.get("UnitFileState") ?? "", activeSince: since === undefined ? null : Number(since) };
}

/** Running, or about to be (a reload keeps it up). */
export function isRunning(state: UnitState): boolean {
  return state.active === "active" || state.active === "reloading";
}
