// Fact: a systemd unit's load, active and unit-file states (systemctl show).
import { sh } from "../shell.ts";
import { ProbeParseError } from "../resources/resource.ts";
import { unitBatchable, UNIT_BATCH_PREFIX } from "./unit-batch.ts";

export interface UnitState {
  /** loaded, not-found, masked, ... */
  load: string;
  /** active, inactive, failed, activating, reloading, deactivating */
  active: string;
  /** enabled, disabled, static, masked, indirect, generated, "" when unknown */
  unitFile: string;
}

/** Probe snippet, marked so the runner may answer it from one batched `systemctl show` (lib/facts/unit-batch.ts). */
export function unitProbe(unit: string): string {
  const marker = unitBatchable(unit) ? `${UNIT_BATCH_PREFIX}${unit}\n` : "";
  return marker + sh`systemctl show -p LoadState -p ActiveState -p UnitFileState -- ${unit}`;
}

export function parseUnit(id: string, stdout: string): UnitState {
  const fields = new Map(stdout.split("\n").filter(Boolean).map((text) => text.split("=", 2) as [string, string]));
  const load = fields.get("LoadState");
  const active = fields.get("ActiveState");
  if (!load || !active) throw new ProbeParseError(id, "no LoadState/ActiveState", stdout);
  return { load, active, unitFile: fields.get("UnitFileState") ?? "" };
}

/** Running, or about to be (a reload keeps it up). */
export function isRunning(state: UnitState): boolean {
  return state.active === "active" || state.active === "reloading";
}
