// Fact: a systemd unit's active and unit-file states and its last start (batched: lib/facts/unit-batch.ts, unit-since.ts).
import { quote } from "../shell.ts";
import { ProbeParseError } from "./probe-error.ts";
import type { UnitActiveProbe, UnitFileProbe } from "./probe.ts";
import { fullUnitName } from "./unit-batch.ts";

export interface UnitState {
  /** active, inactive, failed, activating, reloading, deactivating */
  active: string;
  /** enabled, enabled-runtime, disabled, static, masked, masked-runtime, indirect, generated, ...; "" without a unit file */
  unitFile: string;
  /** When it last started, in epoch seconds (with their fraction where known); null when unknown (never started, or not asked). */
  activeSince: number | null;
}

/** The active-state part of a unit probe on its own: "ActiveState=<state>". */
export function unitActiveScript(probe: UnitActiveProbe): string {
  return `printf 'ActiveState=%s\\n' "$(systemctl is-active -- ${quote(fullUnitName(probe.unit))} 2>/dev/null)"`;
}

/** The unit-file part on its own: "UnitFileState=<state>". */
export function unitFileScript(probe: UnitFileProbe): string {
  return `printf 'UnitFileState=%s\\n' "$(systemctl is-enabled -- ${quote(fullUnitName(probe.unit))} 2>/dev/null)"`;
}

/** "ActiveState=..." and "UnitFileState=..." lines, which the runner answers from the exec's unit batches (unit-batch.ts). */
export function unitProbe(unit: string): [UnitActiveProbe, UnitFileProbe] {
  return [
    { kind: "unit-active", unit },
    { kind: "unit-file", unit },
  ];
}

export function parseUnit(id: string, stdout: string): UnitState {
  const fields = new Map(
    stdout
      .split("\n")
      .filter((line) => line.includes("="))
      .map((text) => text.split("=", 2) as [string, string]),
  );
  const active = fields.get("ActiveState");
  if (!active) throw new ProbeParseError(id, "no ActiveState", stdout);
  const since = /^@(\d+(?:\.\d+)?)$/.exec(fields.get("ActiveEnterTimestamp") ?? "")?.[1];
  return {
    active,
    unitFile: fields.get("UnitFileState") ?? "",
    activeSince: since === undefined ? null : Number(since),
  };
}

/** Running, or about to be (a reload keeps it up). */
export function isRunning(state: UnitState): boolean {
  return state.active === "active" || state.active === "reloading";
}

/** Masked for good or until reboot: the unit cannot start until unmasked. */
export function isMasked(state: UnitState): boolean {
  return state.unitFile.startsWith("masked");
}
