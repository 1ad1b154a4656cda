// Fact: installed Debian packages (dpkg-query).
import { quote } from "../shell.ts";
import { memoBlock } from "../runner/probe-memo.ts";

export interface PackagesFact {
  /** Installed packages by name with their version (only the ones asked about). */
  installed: Map<string, string>;
}

/** What dpkg-query reads: the status database and the journal of updates not yet merged into it. */
const DPKG_DATABASE = ["/var/lib/dpkg/status", "/var/lib/dpkg/updates"];
/** First line of a package probe the runner may answer from one batch for all packages (lib/facts/package-batch.ts). */
export const PACKAGE_BATCH_PREFIX = "# foobar:pkg ";
/** The marker's argument: the probe's package names, comma-separated. */
const PACKAGE_LIST = /^[a-z0-9][a-z0-9+.-]+(,[a-z0-9][a-z0-9+.-]+)*$/;

export function packageBatchable(argument: string): boolean {
  return PACKAGE_LIST.test(argument);
}

/** The probe's command without the batch marker: one dpkg-query, answered from the memo while dpkg's database is unchanged. */
export function packagesQuery(names: readonly string[]): string {
  return memoBlock(DPKG_DATABASE, "dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' " + names.map((name) => quote(name)).join(" ") + " 2>/dev/null");
}

/** Probe snippet, marked so the runner may answer it from one batched query of all packages. */
export function packagesProbe(names: readonly string[]): string {
  const argument = names.join(",");
  return `${packageBatchable(argument) ? `${PACKAGE_BATCH_PREFIX}${argument}\n` : ""}${packagesQuery(names)}`;
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
