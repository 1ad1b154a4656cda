// Batched unit probes: the units of one exec asked for their active state by one D-Bus call, and for their unit-file
// state by one `systemctl list-unit-files` in a memo block, which the host runs again only when a unit directory
// changed. Each unit's answer is the text its own probe (lib/facts/systemd.ts) prints.
import { memoBlock, type MemoBlock } from "./probe-memo.ts";
import { unitFileDependencies } from "./unit-paths.ts";

const UNIT_NAME = /^[A-Za-z0-9@_.:-]+$/;
const UNIT_TYPE = /\.(service|socket|target|device|mount|automount|swap|timer|path|slice|scope)$/;

export function unitBatchable(unit: string): boolean {
  return UNIT_NAME.test(unit);
}

/** systemctl's own rule: a name without a unit type names a service. */
export function fullUnitName(unit: string): string {
  return UNIT_TYPE.test(unit) ? unit : `${unit}.service`;
}

const distinctNames = (units: readonly string[]) => [...new Set(units.map(fullUnitName))];

/**
 * systemd's ListUnitsByNames through dbus-send, a small client (`systemctl` costs twice as much to start, and this is
 * the one process every no-op runs on every host); `systemctl is-active` where there is no system bus or dbus-send.
 */
export function activeBatchScript(units: readonly string[]): string {
  const names = distinctNames(units);
  const call =
    "dbus-send --system --print-reply --dest=org.freedesktop.systemd1 /org/freedesktop/systemd1 org.freedesktop.systemd1.Manager.ListUnitsByNames";
  return `{ ${call} array:string:${names.join(",")} || systemctl is-active -- ${names.join(" ")}; } 2>/dev/null`;
}

/** The reply's structs, one per unit: name, description, load state, active state, ... one value per line. */
function activeStatesFromReply(output: string): Map<string, string> {
  const lines = output.split("\n");
  const value = (line: string | undefined) => /^\s*string "(.*)"$/.exec(line ?? "")?.[1];
  const states = new Map<string, string>();
  lines.forEach((line, index) => {
    const name = line.trim() === "struct {" ? value(lines[index + 1]) : undefined;
    const active = value(lines[index + 4]);
    if (name !== undefined && active !== undefined) states.set(name, active);
  });
  return states;
}

/** Per unit, "ActiveState=<state>"; `systemctl is-active` prints one state per unit, in argument order. */
export function splitActiveBatch(output: string, units: readonly string[]): string[] {
  const names = distinctNames(units);
  const lines = output.split("\n").filter(Boolean);
  const states = output.startsWith("method return")
    ? activeStatesFromReply(output)
    : new Map(lines.length === names.length ? names.map((name, index) => [name, lines[index]!]) : []);
  // A unit without an answer gets none: its resource then fails to parse, naming the unit.
  return units.map((unit) => {
    const state = states.get(fullUnitName(unit));
    return state === undefined ? "" : `ActiveState=${state}\n`;
  });
}

export function fileBatchScript(units: readonly string[]): MemoBlock | string {
  const names = distinctNames(units);
  return memoBlock(
    unitFileDependencies(names),
    `systemctl list-unit-files --no-legend -- ${names.join(" ")} 2>/dev/null`,
  );
}

/** Rows "name state preset", one per unit that has a unit file; a unit with none gets an empty state. */
export function splitFileBatch(output: string, units: readonly string[]): string[] {
  const states = new Map(
    output
      .split("\n")
      .map((row) => row.trim().split(/\s+/))
      .filter((fields) => fields.length >= 2)
      .map((fields) => [fields[0]!, fields[1]!]),
  );
  return units.map((unit) => `UnitFileState=${states.get(fullUnitName(unit)) ?? ""}\n`);
}
