// Vars that name an inventory group (GroupName in lib/dsl/role-vars.ts) checked against the inventory, before any connection.
import type { Role } from "../dsl/role.ts";
import type { Host, Inventory, Vars } from "../inventory/types.ts";
import { quoted } from "../value-formats.ts";

/** `host H, role R: /var: must be a group of the inventory …` for each top-level GroupName var that names no group. */
export function groupVarProblems(role: Role, host: Host, vars: Vars, inventory: Inventory): string[] {
  const known = Object.keys(inventory.groups);
  return Object.entries(role.schema.properties as Record<string, { inventoryGroup?: boolean }>)
    .filter(([name, property]) => property.inventoryGroup && typeof vars[name] === "string")
    .filter(([name]) => !known.includes(vars[name] as string))
    .map(
      ([name]) =>
        `host ${host.name}, role ${role.name}: /${name}: must be a group of inventory ${inventory.environment} (${known.join(", ")}), found ${quoted(vars[name])}`,
    );
}
