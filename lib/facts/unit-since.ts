// Batched start time of units, for service freshness: systemd replaces a unit's invocation-ID link in
// /run/systemd/units at each start, so the link's ctime, read from the exec's shared stat, is when it last started;
// `systemctl show` runs only for a unit without one (not running).
import { quote } from "../shell.ts";
import type { UnitSinceProbe } from "./probe.ts";
import { statable, type SharedStat } from "./shared-stat.ts";
import { fullUnitName, unitBatchable } from "./unit-batch.ts";

const invocationLink = (unit: string) => `/run/systemd/units/invocation:${fullUnitName(unit)}`;
const showSince = (unit: string) =>
  `systemctl show --timestamp=unix -p ActiveEnterTimestamp -- ${quote(fullUnitName(unit))}`;

export function sinceBatchable(unit: string): boolean {
  return unitBatchable(unit) && statable(invocationLink(unit));
}

/**
 * The probe part on its own: "ActiveEnterTimestamp=@<epoch seconds>", to the nanosecond from the link (whole seconds
 * from `systemctl show`), empty after the "=" when never started.
 */
export function unitSinceScript({ unit }: UnitSinceProbe): string {
  const link = quote(invocationLink(unit));
  return `if [ -L ${link} ]; then echo "ActiveEnterTimestamp=@$(stat -c %.9Z ${link})"; else ${showSince(unit)}; fi`;
}

export function sinceBatchPaths(units: readonly string[]): string[] {
  return [...new Set(units.map(invocationLink))];
}

/** One line per unit: empty when the shared stat has its link, else what `systemctl show` says. */
export function sinceBatchScript(units: readonly string[]): string {
  return [...new Set(units)]
    .map((unit) => `if [ -L ${invocationLink(unit)} ]; then echo; else printf '%s\\n' "$(${showSince(unit)})"; fi`)
    .join("\n");
}

export function splitSinceBatch(output: string, units: readonly string[], stat: SharedStat): string[] {
  const distinct = [...new Set(units)];
  const lines = output.split("\n");
  const answer = (unit: string): string => {
    const line = lines[distinct.indexOf(unit)] ?? "";
    if (line) return `${line}\n`;
    const link = stat.lines.get(invocationLink(unit));
    return `ActiveEnterTimestamp=${link ? `@${link.ctimeText}` : ""}\n`;
  };
  return units.map(answer);
}
