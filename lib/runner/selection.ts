// What a run is asked to touch, checked before any connection: every var namespace of the inventory names a role,
// every tag names one a role of the playbook carries, and the limit and tags leave something to do.
import { InputError } from "../errors.ts";
import type { Inventory, Vars } from "../inventory/types.ts";
import { roleUses, type Playbook } from "../dsl/playbook.ts";
import type { Role } from "../dsl/role.ts";
import { didYouMean } from "../suggest.ts";
import type { HostPlay } from "./plan.ts";
import type { RunChoices } from "./run-options.ts";

/** Where each var namespace of the inventory is set: environment, group or host. */
function namespaces(inventory: Inventory): { where: string; name: string }[] {
  const keys = (vars: Vars, where: string) => Object.keys(vars).map((name) => ({ where, name }));
  return [
    ...keys(inventory.vars, `environment ${inventory.environment}`),
    ...Object.entries(inventory.groups).flatMap(([group, { vars }]) => keys(vars, `group ${group}`)),
    ...inventory.hosts.flatMap((host) => keys(host.vars, `host ${host.name}`)),
  ];
}

/** Inventory vars are namespaced by role (`prometheus: {…}`): a namespace no role has is a misspelling, not a default. */
export function checkVarNamespaces(playbook: Playbook, inventory: Inventory, knownRoles: readonly string[] = []): void {
  const roles = [
    ...new Set([...playbook.plays.flatMap((play) => roleUses(play).map((use) => use.role.name)), ...knownRoles]),
  ];
  const problems = namespaces(inventory)
    .filter(({ name }) => !roles.includes(name))
    .map(
      ({ where, name }) =>
        `inventory ${inventory.environment}, ${where}: vars "${name}" name no role${didYouMean(name, roles)} (vars are grouped by role name)`,
    );
  if (problems.length) throw new InputError(problems);
}

/** The tags some roles carry: each role's name and the tags it declares. */
function tagsOf(roles: Role[]): string[] {
  return [...new Set(roles.flatMap((role) => [role.name, ...role.tags]))];
}

/**
 * After planning: the limit leaves hosts some play targets, and every --tags / --skip-tags name is a tag of the
 * playbook; --tags must select something on the hosts selected.
 */
export function checkSelection(
  playbook: Playbook,
  plays: HostPlay[][],
  options: Pick<RunChoices, "limit" | "tags" | "skipTags">,
): void {
  const hostPlays = plays.flat();
  if (hostPlays.length === 0)
    throw new InputError([
      `no play of ${playbook.name} targets a host${options.limit ? ` of --limit "${options.limit}"` : " of this inventory"}`,
    ]);
  const everyTag = tagsOf(playbook.plays.flatMap((play) => roleUses(play).map((use) => use.role)));
  const problems = [
    ...(options.tags ?? []).map((tag) => ({ flag: "--tags", tag })),
    ...(options.skipTags ?? []).map((tag) => ({ flag: "--skip-tags", tag })),
  ]
    .filter(({ tag }) => !everyTag.includes(tag))
    .map(
      ({ flag, tag }) =>
        `${flag}: no role of ${playbook.name} has tag "${tag}"${didYouMean(tag, everyTag)} (tags: ${everyTag.join(", ")})`,
    );
  if (problems.length) throw new InputError(problems);
  const selectedTags = tagsOf(hostPlays.flatMap((hostPlay) => hostPlay.roles.map((use) => use.role)));
  if (options.tags && !options.tags.some((tag) => selectedTags.includes(tag)))
    throw new InputError([
      `--tags ${options.tags.join(",")} selects nothing on the hosts${options.limit ? ` of --limit "${options.limit}"` : ""}: no role they run has ${options.tags.length === 1 ? "that tag" : "one of those tags"}`,
    ]);
}
