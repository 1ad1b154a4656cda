// Batched unit probe: the systemd unit probes of one exec answered by one `systemctl show` for all units.

/** First line of a unit probe that may be answered from the batch (see unitProbe). */
export const UNIT_BATCH_PREFIX = "# foobar:unit ";
const UNIT_NAME = /^[A-Za-z0-9@_.:-]+$/;

export function unitBatchable(unit: string): boolean {
  return UNIT_NAME.test(unit);
}

/** The properties every unit probe reads; the start time as epoch seconds (`--timestamp=unix`: systemd >= 251). */
export const UNIT_SHOW = "systemctl show --timestamp=unix -p LoadState -p ActiveState -p UnitFileState -p ActiveEnterTimestamp --";

export function unitBatchScript(units: readonly string[]): string {
  return `${UNIT_SHOW} ${[...new Set(units)].join(" ")}`;
}

/** systemctl show prints one block per unit, in argument order, separated by an empty line. */
export function splitUnitBatch(output: string, units: readonly string[]): Map<string, string> {
  const distinct = [...new Set(units)];
  const blocks = output.trim().split(/\n\n+/);
  const answers = new Map<string, string>();
  if (blocks.length === distinct.length) distinct.forEach((unit, index) => answers.set(unit, `${blocks[index]}\n`));
  // A count that does not match leaves the answers empty: the resources then fail to parse, naming the unit.
  return new Map(units.map((unit) => [unit, answers.get(unit) ?? ""]));
}
