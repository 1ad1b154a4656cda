// Load one environment of hosts.ts: defaults filled in, groups checked, hosts resolved.
import { InputError } from "../errors.ts";
import { didYouMean } from "../suggest.ts";
import { quoted } from "../value-formats.ts";
import { fieldProblems } from "./field-formats.ts";
import type { EnvironmentSpec, Host, Inventory, InventorySpec } from "./types.ts";

/** A host name as the inventory spells it: lower case, up to 63 characters. */
const HOST_NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/;

function checkEnvironment(name: string, env: EnvironmentSpec): string[] {
  const problems = fieldProblems(name, env);
  const inGroups = new Map<string, string[]>();
  for (const [group, spec] of Object.entries(env.groups)) {
    const seen = new Set<string>();
    for (const host of spec.hosts) {
      if (!(host in env.hosts)) problems.push(`inventory ${name}: group "${group}" lists unknown host "${host}"`);
      if (seen.has(host)) problems.push(`inventory ${name}: group "${group}" lists host "${host}" twice`);
      seen.add(host);
      inGroups.set(host, [...(inGroups.get(host) ?? []), group]);
    }
  }
  const addresses = new Map<string, string>();
  for (const [host, spec] of Object.entries(env.hosts)) {
    if (!HOST_NAME.test(host)) problems.push(`inventory ${name}: host name ${quoted(host)} is not a valid hostname`);
    if (!inGroups.has(host)) problems.push(`inventory ${name}: host "${host}" is in no group`);
    if (!spec.address) problems.push(`inventory ${name}: host "${host}" has no address`);
    const key = `${spec.address}:${spec.ssh?.port ?? env.ssh?.port ?? 22}`;
    const other = addresses.get(key);
    if (other)
      problems.push(`inventory ${name}: hosts "${other}" and "${host}" have the same address ${key} (duplicate host)`);
    addresses.set(key, host);
  }
  const metrics = env.runMetrics;
  if (metrics && !(metrics.host in env.hosts))
    problems.push(`inventory ${name}: runMetrics.host "${metrics.host}" is not a host of this environment`);
  return problems;
}

/** Resolve environment `name` (default "production"). Every problem is an InputError (exit 4). */
export function loadInventory(spec: InventorySpec, name = "production"): Inventory {
  const env = spec.environments[name];
  if (!env) {
    const known = Object.keys(spec.environments);
    throw new InputError([`unknown inventory "${name}"${didYouMean(name, known)} (known: ${known.join(", ")})`]);
  }
  const problems = checkEnvironment(name, env);
  if (problems.length) throw new InputError(problems);
  const groupsOf = (host: string) =>
    Object.entries(env.groups)
      .filter(([, group]) => group.hosts.includes(host))
      .map(([group]) => group);
  const hosts: Host[] = Object.entries(env.hosts).map(([hostName, spec]) => {
    const user = spec.ssh?.user ?? env.ssh?.user ?? "root";
    return {
      name: hostName,
      address: spec.address,
      privateAddress: spec.privateAddress ?? spec.address,
      ssh: {
        user,
        port: spec.ssh?.port ?? env.ssh?.port ?? 22,
        connectTimeoutMs: spec.ssh?.connectTimeoutMs ?? env.ssh?.connectTimeoutMs ?? 10_000,
        key: spec.ssh?.key ?? env.ssh?.key,
        knownHosts: spec.ssh?.knownHosts ?? env.ssh?.knownHosts,
        becomePassword:
          spec.ssh?.becomePassword ??
          groupsOf(hostName)
            .map((group) => env.groups[group]!.ssh?.becomePassword)
            .find(Boolean) ??
          env.ssh?.becomePassword,
      },
      become: spec.become ?? user !== "root",
      groups: groupsOf(hostName),
      vars: spec.vars ?? {},
    };
  });
  const byName = new Map(hosts.map((host) => [host.name, host]));
  const groups = Object.fromEntries(
    Object.entries(env.groups).map(([group, spec]) => [group, { hosts: [...spec.hosts], vars: spec.vars ?? {} }]),
  );
  return {
    environment: name,
    hosts,
    groups,
    vars: env.vars ?? {},
    secretsFile: env.secretsFile ?? `secrets/${name}.age`,
    generateSecrets: env.generateSecrets ?? false,
    ...(env.runMetrics ? { runMetrics: { ...env.runMetrics } } : {}),
    runHistory: { runs: env.runHistory?.runs ?? 100, days: env.runHistory?.days ?? 30 },
    host(hostName) {
      const host = byName.get(hostName);
      if (!host) throw new InputError([`inventory ${name}: unknown host "${hostName}"`]);
      return host;
    },
    group(group) {
      const entry = groups[group];
      if (!entry)
        throw new InputError([
          `inventory ${name}: unknown group "${group}" (known: ${Object.keys(groups).join(", ")})`,
        ]);
      return entry.hosts.map((host) => byName.get(host)!);
    },
  };
}
