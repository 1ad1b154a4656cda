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

export function packagesProbe(names: readonly string[]): string {
  return [
    "dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' " + names.map((name) => quote(name)).join(" ") + " 2>/dev/null",
    `cache=$(stat -c %Y /var/cache/apt/pkgcache.bin 2>/dev/null || echo 0)`,
    `sources=$(stat -c %Y /etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/sources.list.d/* 2>/dev/null | sort -n | tail -n 1)`,
    `echo "@apt $cache \${sources:-0} $(date +%s)"`,
  ].join("\n");
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
