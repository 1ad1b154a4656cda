// Which secrets a playbook uses in an environment, and where: read from role defaults, inventory and play vars, and
// the hosts' become passwords (sudo's, given on stdin).
import type { Inventory } from "../inventory/types.ts";
import { roleUses, type Playbook } from "../dsl/playbook.ts";
import { playTargets } from "../runner/plan.ts";
import { mergeRoleVars } from "../runner/vars.ts";
import { SecretRef } from "../secret.ts";

export interface SecretUse {
  name: string;
  /** Role names, in playbook order. */
  roles: string[];
  /** Host names, in playbook order. */
  hosts: string[];
  /** Hosts whose login user's sudo password it is (hosts.ts `becomePassword`), in inventory order. */
  becomeHosts: string[];
}

function refsIn(value: unknown, found: Set<string>): void {
  if (value instanceof SecretRef) found.add(value.name);
  else if (Array.isArray(value)) for (const item of value) refsIn(item, found);
  else if (value && typeof value === "object") for (const item of Object.values(value)) refsIn(item, found);
}

/** Every secret the playbook's roles refer to on the environment's hosts, by name. */
export function secretUses(playbook: Playbook, inventory: Inventory): SecretUse[] {
  const uses = new Map<string, { roles: Set<string>; hosts: Set<string>; becomeHosts: Set<string> }>();
  const useOf = (name: string) => {
    const use = uses.get(name) ?? { roles: new Set(), hosts: new Set(), becomeHosts: new Set() };
    uses.set(name, use);
    return use;
  };
  for (const play of playbook.plays) {
    for (const host of playTargets(play, inventory)) {
      for (const { role, vars } of roleUses(play)) {
        const names = new Set<string>();
        refsIn(mergeRoleVars(role, inventory, host, vars), names);
        for (const name of names) {
          const use = useOf(name);
          use.roles.add(role.name);
          use.hosts.add(host.name);
        }
      }
    }
  }
  for (const host of inventory.hosts)
    if (host.ssh.becomePassword instanceof SecretRef) useOf(host.ssh.becomePassword.name).becomeHosts.add(host.name);
  return [...uses]
    .map(([name, use]) => ({ name, roles: [...use.roles], hosts: [...use.hosts], becomeHosts: [...use.becomeHosts] }))
    .sort((a, b) => a.name.localeCompare(b.name));
}
