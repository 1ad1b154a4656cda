// Fact: installed Debian packages (dpkg-query).
import { quote } from "../shell.ts";
import type { PackagesProbe } from "./probe.ts";
import { memoBlock, type MemoBlock } from "./probe-memo.ts";

export interface PackagesFact {
  /** Installed packages by name with their version (only the ones asked about). */
  installed: Map<string, string>;
}

/** What dpkg-query reads: the status database and the journal of updates not yet merged into it. */
const DPKG_DATABASE = ["/var/lib/dpkg/status", "/var/lib/dpkg/updates"];
const PACKAGE_NAME = /^[a-z0-9][a-z0-9+.-]+$/;

/** Names the batch can carry (Debian package names). */
export function packagesBatchable(probe: PackagesProbe): boolean {
  return probe.names.length > 0 && probe.names.every((name) => PACKAGE_NAME.test(name));
}

/** One dpkg-query, answered from the memo while dpkg's database is unchanged. */
export function packagesQuery(names: readonly string[]): MemoBlock | string {
  return memoBlock(
    DPKG_DATABASE,
    "dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' " +
      names.map((name) => quote(name)).join(" ") +
      " 2>/dev/null",
  );
}

/** The probe, which the runner may answer from one batched query of all packages (package-batch.ts). */
export function packagesProbe(names: readonly string[]): PackagesProbe {
  return { kind: "packages", names: [...names] };
}

export function parsePackages(stdout: string): PackagesFact {
  const installed = new Map<string, string>();
  for (const text of stdout.split("\n")) {
    if (!text.trim()) continue;
    const [name, status, version] = text.split("\t");
    if (status?.startsWith("ii")) installed.set(name!.replace(/:.*$/, ""), version ?? "");
  }
  return { installed };
}
