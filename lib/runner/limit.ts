// --limit: select hosts by name, group or glob; "!pattern" excludes.
import { InputError } from "../errors.ts";
import type { Host, Inventory } from "../inventory/types.ts";

function globToRegExp(glob: string): RegExp {
  return new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
  );
}

function matching(inventory: Inventory, pattern: string): Host[] {
  if (pattern in inventory.groups) return inventory.group(pattern);
  const regexp = globToRegExp(pattern);
  const groups = Object.keys(inventory.groups).filter((group) => regexp.test(group));
  return inventory.hosts.filter(
    (host) => regexp.test(host.name) || groups.some((group) => host.groups.includes(group)),
  );
}

/** Hosts selected by a comma-separated limit; every pattern must match something, and the result must not be empty. */
export function applyLimit(inventory: Inventory, limit: string | undefined): Set<string> {
  if (!limit) return new Set(inventory.hosts.map((host) => host.name));
  const patterns = limit
    .split(",")
    .map((pattern) => pattern.trim())
    .filter(Boolean);
  const included = patterns.filter((pattern) => !pattern.startsWith("!"));
  const excluded = patterns.filter((pattern) => pattern.startsWith("!")).map((pattern) => pattern.slice(1));
  const unmatched = [...included, ...excluded].filter((pattern) => matching(inventory, pattern).length === 0);
  if (unmatched.length)
    throw new InputError(
      unmatched.map(
        (pattern) => `--limit: "${pattern}" matches no host or group of inventory ${inventory.environment}`,
      ),
    );
  const selected = new Set(
    (included.length ? included : ["*"]).flatMap((pattern) => matching(inventory, pattern).map((host) => host.name)),
  );
  for (const pattern of excluded) for (const host of matching(inventory, pattern)) selected.delete(host.name);
  if (selected.size === 0)
    throw new InputError([
      `--limit "${limit}" selects no host of inventory ${inventory.environment}: its exclusions remove every host it names`,
    ]);
  return selected;
}
