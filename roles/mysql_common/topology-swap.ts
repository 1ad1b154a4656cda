// The inventory after a promotion: db_primary and db_replica swapped around the promoted host — as an inventory
// for the steps of failover.ts and the tests, and as the exact hosts.ts edit the operator makes.
import type { InventorySpec } from "../../lib/inventory/types.ts";

export interface DbGroups {
  primary: string[];
  replicas: string[];
}

/** db_primary: the promoted host; db_replica: the old primaries, then the other replicas. */
export function swappedGroups(current: DbGroups, promoted: string): DbGroups {
  return {
    primary: [promoted],
    replicas: [...current.primary, ...current.replicas.filter((name) => name !== promoted)],
  };
}

/** `spec` with the environment's database groups swapped around `promoted`. */
export function swapDbGroups(spec: InventorySpec, environment: string, promoted: string): InventorySpec {
  const env = spec.environments[environment];
  if (!env) throw new Error(`no environment "${environment}" in the inventory`);
  const next = swappedGroups(
    { primary: env.groups.db_primary?.hosts ?? [], replicas: env.groups.db_replica?.hosts ?? [] },
    promoted,
  );
  const groups = {
    ...env.groups,
    db_primary: { ...env.groups.db_primary, hosts: next.primary },
    db_replica: { ...env.groups.db_replica, hosts: next.replicas },
  };
  return { ...spec, environments: { ...spec.environments, [environment]: { ...env, groups } } };
}

const groupLine = (group: string, hosts: string[]) =>
  `  ${group}: { hosts: [${hosts.map((name) => JSON.stringify(name)).join(", ")}] },`;

/** The hosts.ts edit, as a diff of the `groups` lines. */
export function hostsTsChange(current: DbGroups, promoted: string): string {
  const next = swappedGroups(current, promoted);
  return [
    `-${groupLine("db_primary", current.primary)}`,
    `-${groupLine("db_replica", current.replicas)}`,
    `+${groupLine("db_primary", next.primary)}`,
    `+${groupLine("db_replica", next.replicas)}`,
  ].join("\n");
}
