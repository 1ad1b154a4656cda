// Resource: Debian packages via apt — all present packages of a play on a host in one apt-get call; the apt cache's
// age is checked on the host when something is to be installed (a no-op does not read it).
import { packagesProbe, parsePackages, type PackagesFact } from "../facts/packages.ts";
import { sh } from "../shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";
import { startHoldScript } from "./start-hold.ts";

export interface PackageOptions extends CommonOptions {
  state?: "present" | "absent";
  /** Refresh the apt cache before installing when it is older than this (default 3600 s). */
  cacheMaxAgeSeconds?: number;
  /** Units the converge starts itself once configured: the install does not start those it brings (start-hold.ts). */
  holdStarts?: readonly string[];
}

export interface PackageResource extends Resource<PackagesFact> {
  readonly packageNames: readonly string[];
  readonly packageState: "present" | "absent";
  readonly options: PackageOptions;
}

const APT_ENV = "DEBIAN_FRONTEND=noninteractive NEEDRESTART_MODE=a";
/** Wait up to this long for another apt/dpkg (unattended-upgrades) to release its lock. */
const LOCK_TIMEOUT_SECONDS = 300;

/** The apt cache and the source lists it is built from. */
export const APT_FILES = {
  cache: "/var/cache/apt/pkgcache.bin",
  sources: "/etc/apt/sources.list /etc/apt/sources.list.d /etc/apt/sources.list.d/*",
};

/** `<apt> update` when the cache is older than `maxAge` seconds or a source list changed after it was built. */
export function refreshCacheScript(apt: string, maxAge: number, files = APT_FILES): string {
  return [
    `cache=$(stat -c %Y ${files.cache} 2>/dev/null || echo 0)`,
    `sources=$(stat -c %Y ${files.sources} 2>/dev/null | sort -n | tail -n 1)`,
    `if [ $(( $(date +%s) - cache )) -gt ${maxAge} ] || [ "\${sources:-0}" -gt "$cache" ]; then ${apt} update; fi`,
  ].join("\n");
}

export function packages(names: string | readonly string[], options: PackageOptions = {}): PackageResource {
  const list = [...new Set(typeof names === "string" ? [names] : names)].sort();
  for (const name of list) {
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new Error(`invalid Debian package name "${name}"`);
  }
  const state = options.state ?? "present";
  const maxAge = options.cacheMaxAgeSeconds ?? 3600;
  const missing = (fact: PackagesFact) => list.filter((name) => !fact.installed.has(name));
  const present = (fact: PackagesFact) => list.filter((name) => fact.installed.has(name));
  return {
    id: `package:${list.join(",")}`,
    packageNames: list,
    packageState: state,
    options,
    ...commonFields(options),
    probe: () => packagesProbe(list),
    parse: (stdout) => parsePackages(stdout),
    plan(fact): Change[] {
      const names = state === "present" ? missing(fact) : present(fact);
      return names.length === 0
        ? []
        : [{ summary: `${state === "present" ? "install" : "remove"} ${names.join(" ")}` }];
    },
    apply(fact): string {
      const apt = `${APT_ENV} apt-get -q -y -o DPkg::Lock::Timeout=${LOCK_TIMEOUT_SECONDS}`;
      if (state === "absent") return `${apt} purge ${sh`${present(fact)}`}`;
      // Recommends are not installed: a role names every package it needs (node-exporter's recommended collectors alone
      // pulled perl, python3-apt, smartmontools, ipmitool and nvme-cli onto every host: its play took 48.8 s of each
      // first converge with them and 10.7 s without, so they cost about 38 s).
      const hold = startHoldScript(options.holdStarts ?? []);
      return `${refreshCacheScript(apt, maxAge)}\n${hold ? `${hold}\n` : ""}${apt} --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold install ${sh`${missing(fact)}`}`;
    },
  };
}

/** The resource as a package resource, or undefined when it is another kind. */
export function asPackage(resource: Resource<any>): PackageResource | undefined {
  return "packageNames" in resource ? (resource as PackageResource) : undefined;
}

/** One resource installing every package of `group`: the shortest cache age asked for, all notifies and tags. */
export function combinePackages(group: readonly PackageResource[], holdStarts?: readonly string[]): PackageResource {
  return packages(
    group.flatMap((resource) => resource.packageNames),
    {
      cacheMaxAgeSeconds: Math.min(...group.map((resource) => resource.options.cacheMaxAgeSeconds ?? 3600)),
      notify: [...new Set(group.flatMap((resource) => resource.notify))],
      tags: [...new Set(group.flatMap((resource) => resource.tags))],
      ...(holdStarts ? { holdStarts } : {}),
    },
  );
}

/** Replace every "present" package resource with one resource installing them all (at the first one's place). */
export function mergePackages<T extends Resource<unknown>>(resources: readonly T[]): T[] {
  const isPresentPackage = (resource: T) => asPackage(resource)?.packageState === "present";
  const group = resources.filter(isPresentPackage).map((resource) => asPackage(resource)!);
  if (group.length < 2) return [...resources];
  const merged = combinePackages(group);
  const first = resources.findIndex(isPresentPackage);
  return resources.flatMap((resource, index) =>
    index === first ? [merged as unknown as T] : isPresentPackage(resource) ? [] : [resource],
  );
}
