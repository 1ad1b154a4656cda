// Whether a host can run the database engine its roles name, from what it has installed and what its apt sources
// offer: the reason it cannot (naming host, release and role), or nothing. Pure; server-package-resource.ts probes.
import type { DbFlavor } from "./flavor.ts";
import { MARIADB, MYSQL } from "./flavor.ts";

/** What the probe found: each engine's server package (installed version or undefined), the candidate of the wanted one. */
export interface EngineState {
  installed: Map<string, string>;
  /** The apt candidate version of the wanted server package; "(none)" when no source offers it; undefined when not asked. */
  candidate?: string;
  /** How many package lists apt has: none means the candidate is unknown (apt-get update not run yet). */
  lists: number;
}

/** Where the refusal happens, for its message. */
export interface EngineCheckPlace {
  host: string;
  /** The host's OS release, as its os-release names it. */
  release: string;
  role: string;
}

/** "1:11.8.3-0+deb13u1" → [11, 8, 3]: the upstream release of a Debian package version. */
export function upstreamRelease(version: string): number[] {
  const upstream = version.replace(/^\d+:/, "").split(/[-+~]/)[0] ?? "";
  return upstream.split(".").map((part) => Number.parseInt(part, 10) || 0);
}

/** True when `version` (a Debian package version) is at least `minimum` ("8.0.26"). */
export function atLeast(version: string, minimum: string): boolean {
  const have = upstreamRelease(version);
  const need = upstreamRelease(minimum);
  for (let index = 0; index < need.length; index++) {
    const difference = (have[index] ?? 0) - need[index]!;
    if (difference !== 0) return difference > 0;
  }
  return true;
}

/** Why `flavor` cannot run on the host, or undefined when it can (installed, or installable from its apt sources). */
export function engineProblem(flavor: DbFlavor, state: EngineState, place: EngineCheckPlace): string | undefined {
  const where = `host ${place.host} (${place.release}), role ${place.role}`;
  const other = flavor.name === "mysql" ? MARIADB : MYSQL;
  const otherVersion = state.installed.get(other.serverPackage);
  if (otherVersion !== undefined)
    return `${where}: db_engine is "${flavor.name}" but ${other.serverPackage} ${otherVersion} is installed; the roles do not move a server's data from ${other.label} to ${flavor.label}: set db_engine "${other.name}" for this host, or converge a fresh host. Nothing was changed`;
  const installed = state.installed.get(flavor.serverPackage);
  const found = installed ?? (state.lists > 0 ? state.candidate : undefined);
  if (found === "(none)" || found === "")
    return `${where}: db_engine is "${flavor.name}" but this release's apt sources offer no ${flavor.serverPackage}: set db_engine "${other.name}", or add a source with ${flavor.label} ${flavor.minimumVersion} or later. Nothing was changed`;
  if (found !== undefined && !atLeast(found, flavor.minimumVersion))
    return `${where}: ${flavor.serverPackage} ${found} ${installed ? "is installed" : "is what apt offers"}; the roles need ${flavor.label} ${flavor.minimumVersion} or later. Nothing was changed`;
  return undefined;
}
