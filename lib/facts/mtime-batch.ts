// Batched mtime probe: the modification times asked for in one exec, answered from the exec's shared stat.
import { quote } from "../shell.ts";
import type { MtimesProbe } from "./probe.ts";
import { statable, type SharedStat } from "./shared-stat.ts";

export function mtimesBatchable(probe: MtimesProbe): boolean {
  return probe.paths.every(statable);
}

/** The probe on its own: what `stat -c %.9Y` prints, epoch seconds to the nanosecond, nothing for an absent path. */
export function mtimesScript(probe: MtimesProbe): string {
  return `stat -c %.9Y -- ${probe.paths.map(quote).join(" ")} 2>/dev/null`;
}

/** Per probe, the lines its own command would print, from the shared stat. */
export function splitMtimeBatch(probes: readonly MtimesProbe[], stat: SharedStat): string[] {
  return probes.map((probe) =>
    probe.paths
      .map((path) => {
        const seen = stat.lines.get(path);
        return seen ? `${seen.mtimeText}\n` : "";
      })
      .join(""),
  );
}
