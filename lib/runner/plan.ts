// From playbook + inventory to per-host work: targets, validated vars, then resources and handlers.
import { groupVarProblems } from "./group-vars.ts";
import { InputError } from "../errors.ts";
import type { HostFacts } from "../facts/host.ts";
import type { Host, Inventory, Vars } from "../inventory/types.ts";
import { roleUses, type Play, type Playbook } from "../dsl/playbook.ts";
import { mergePackages } from "../resources/package.ts";
import { resourceFactory } from "../resources/index.ts";
import type { Resource } from "../resources/resource.ts";
import type { Role } from "../dsl/role.ts";
import { resolveSecrets } from "../secrets/resolve.ts";
import type { SecretStore } from "../secrets/store.ts";
import type { ValidVarsMemo } from "./valid-vars-memo.ts";
import { mergeRoleVars, validateRoleVars } from "./vars.ts";

/** One play on one host, with each role's final, validated vars. */
export interface HostPlay {
  play: Play;
  host: Host;
  roles: { role: Role; vars: Vars }[];
}

/** What runs: the play's resources in order, and its handlers in definition order. */
export interface HostWork {
  resources: Resource[];
  handlers: { name: string; resource: Resource }[];
}

export interface Selection {
  tags?: string[];
  skipTags?: string[];
}

/** A play's hosts: groups, host names, or "all" (every host of the environment, as in Ansible). */
export function playTargets(play: Play, inventory: Inventory): Host[] {
  const names = Array.isArray(play.hosts) ? play.hosts : [play.hosts];
  if (names.includes("all") && !("all" in inventory.groups)) return inventory.hosts;
  return names.flatMap((name) => (name in inventory.groups ? inventory.group(name) : [inventory.host(name)]));
}

/**
 * Every play's hosts (within `selected`) with merged, secret-resolved, schema-checked vars.
 * All problems of all hosts are collected into one InputError, before any connection. With `memo`, vars this very
 * schema accepted in an earlier run are not validated again.
 */
export function planPlays(
  playbook: Playbook,
  inventory: Inventory,
  selected: Set<string>,
  secrets: SecretStore,
  memo?: ValidVarsMemo,
): HostPlay[][] {
  const problems: string[] = [];
  const missing = new Map<string, string>();
  const plays = playbook.plays.map((play) => {
    let hosts: Host[] = [];
    try {
      hosts = playTargets(play, inventory).filter((host) => selected.has(host.name));
    } catch (error) {
      problems.push(`play "${play.name}": ${(error as Error).message}`);
    }
    return hosts.map((host) => ({
      play,
      host,
      roles: roleUses(play).map(({ role, vars }) => {
        const merged = resolveSecrets(mergeRoleVars(role, inventory, host, vars), secrets, missing);
        if (!memo?.passed(role, merged)) {
          const found = validateRoleVars(role, host, merged);
          if (found.length) problems.push(...found);
          else memo?.record(role, merged);
        }
        problems.push(...groupVarProblems(role, host, merged, inventory));
        return { role, vars: withDeclaredKeys(role, merged) };
      }),
    }));
  });
  // No secrets file at all: how to make one says more than each secret's absence and the schema's "found a plain object".
  if (missing.size && secrets.absentFile) throw new InputError([secrets.absentFile([...missing.keys()].sort())]);
  problems.push(...missing.values());
  if (problems.length) throw new InputError(problems);
  return plays;
}

/**
 * Give every var the schema declares a key, undefined when unset, so templates can test
 * optional vars (`if (vars.x)`) while a misspelt name still fails as undefined.
 */
function withDeclaredKeys(role: Role, vars: Vars): Vars {
  const declared = Object.keys((role.schema as { properties?: object }).properties ?? {});
  return Object.assign(Object.fromEntries(declared.map((key) => [key, undefined])), vars);
}

function selectedByTags(resource: Resource, selection: Selection): boolean {
  if (selection.tags?.length && !resource.tags.some((tag) => selection.tags!.includes(tag))) return false;
  return !resource.tags.some((tag) => selection.skipTags?.includes(tag));
}

/** Build the resources of one play on one host from its facts. Errors name host, play and role. */
export function buildHostWork(
  hostPlay: HostPlay,
  facts: HostFacts,
  inventory: Inventory,
  selection: Selection,
  checkNewConnection: () => Promise<void>,
): HostWork {
  const problems: string[] = [];
  const resources: Resource[] = [];
  const handlers: { name: string; resource: Resource }[] = [];
  const where = (role: Role) => `host ${hostPlay.host.name}, play "${hostPlay.play.name}", role ${role.name}`;
  for (const { role, vars } of hostPlay.roles) {
    const data = { ...vars, vars, host: hostPlay.host, facts, inventory };
    const context = {
      vars,
      host: hostPlay.host,
      facts,
      inventory,
      r: resourceFactory(role.templatesDir, data),
      checkNewConnection,
    };
    try {
      for (const resource of role.tasks(context)) {
        const undeclared = resource.tags.filter((tag) => tag !== role.name && !role.tags.includes(tag));
        if (undeclared.length)
          problems.push(
            `${where(role)}: ${resource.id} has tag ${undeclared.join(", ")}, which the role does not declare`,
          );
        resources.push({ ...resource, tags: [role.name, ...resource.tags] });
      }
      for (const [name, make] of Object.entries(role.handlers ?? {})) handlers.push({ name, resource: make(context) });
    } catch (error) {
      problems.push(`${where(role)}: ${(error as Error).message}`);
    }
  }
  const ids = new Set<string>();
  for (const resource of resources) {
    if (ids.has(resource.id))
      problems.push(`host ${hostPlay.host.name}, play "${hostPlay.play.name}": ${resource.id} is described twice`);
    ids.add(resource.id);
    for (const name of resource.notify) {
      if (!handlers.some((handler) => handler.name === name))
        problems.push(
          `host ${hostPlay.host.name}, play "${hostPlay.play.name}": ${resource.id} notifies unknown handler "${name}"`,
        );
    }
  }
  if (problems.length) throw new InputError(problems);
  return { resources: mergePackages(resources.filter((resource) => selectedByTags(resource, selection))), handlers };
}
