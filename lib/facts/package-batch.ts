// Batched package probe: the package probes of one exec answered by one dpkg-query
// for all their packages; each probe gets the lines its own probe would print.
import type { PackagesProbe } from "./probe.ts";
import type { MemoBlock } from "./probe-memo.ts";
import { packagesQuery } from "./packages.ts";

export function packageBatchScript(probes: readonly PackagesProbe[]): MemoBlock | string {
  return packagesQuery([...new Set(probes.flatMap((probe) => probe.names))]);
}

/** Per probe, its packages' dpkg-query lines (a line's name may carry an :arch suffix). */
export function splitPackageBatch(output: string, probes: readonly PackagesProbe[]): string[] {
  const lines = output.split("\n").filter((line) => line.trim());
  return probes.map((probe) => {
    const names = new Set(probe.names);
    return lines
      .filter((line) => names.has(line.split("\t")[0]!.replace(/:.*$/, "")))
      .map((line) => `${line}\n`)
      .join("");
  });
}
