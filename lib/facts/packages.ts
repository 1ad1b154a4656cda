// Fact: installed Debian packages (dpkg-query) and the age of the apt cache vs its sources.
import { quote } from "../shell.ts";
import { ProbeParseError } from "../resources/resource.ts";

export interface PackagesFact {
  /** Installed packages by name with their version (only the ones asked about). */
  installed: Map<string, string>;
  /** Seconds since the apt cache was refreshed (Infinity when never). */
  cacheAgeSeconds: number;
  /** A source list changed after the cache was built. */
  sourcesNewer: boolean;
}

const APT_CACHE = "/var/cache/apt/pkgcache.bin";
/** First line of a package probe the runner may answer from one batch for all packages (lib/facts/package-batch.ts). */
export const PACKAGE_BATCH_PREFIX = "# foobar:pkg ";
/** The marker's argument: the probe's package names, comma-separated. */
const PACKAGE_LIST = /^[a-z0-9][a-z0-9+.-]+(,[a-z0-9][a-z0-9+.-]+)*$/;

export function packageBatchable(argument: string): boolean {
  return PACKAGE_LIST.test(argument);
}

/** The probe's commands without the batch marker: one dpkg-query, one stat, one date. */
export function packagesQuery(names: readonly string[]): string {
  return [
    "dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' " + names.map((name) => quote(name)).join(" ") + " 2>/dev/null",
    `stat -c '%Y %n' ${APT_CACHE} /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/sources.list.d/* 2>/dev/null | {`,
    "  cache=0 sources=0",
    `  while read -r mtime path; do if [ "$path" = ${APT_CACHE} ]; then cache=$mtime; elif [ "$mtime" -gt "$sources" ]; then sources=$mtime; fi; done`,
    `  echo "@apt $cache $sources $(date +%s)"`,
    "}",
  ].join("\n");
}

/** Probe snippet, marked so the runner may answer it from one batched query of all packages. */
export function packagesProbe(names: readonly string[]): string {
  const argument = names.join(",");
  return `${packageBatchable(argument) ? `${PACKAGE_BATCH_PREFIX}${argument}\n` : ""}${packagesQuery(names)}`;
}

export function parsePackages(id: string, stdout: string): PackagesFact {
  const installed = new Map<string, string>();
  let cacheLine: string | undefined;
  for (const text of stdout.split("\n")) {
    if (text.startsWith("@apt ")) cacheLine = text;
    else if (text.trim()) {
      const [name, status, version] = text.split("\t");
      if (status?.startsWith("ii")) installed.set(name!.replace(/:.*$/, ""), version ?? "");
    }
  }
  const numbers = cacheLine?.split(" ").slice(1).map(Number);
  if (!numbers || numbers.length !== 3 || numbers.some(Number.isNaN)) throw new ProbeParseError(id, "no apt cache line", stdout);
  const [cache, sources, now] = numbers as [number, number, number];
  return { installed, cacheAgeSeconds: cache === 0 ? Infinity : now - cache, sourcesNewer: sources > cache };
}
