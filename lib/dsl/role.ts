// defineRole: a role is its vars' declaration (schema, type, docs and defaults in one), tasks (resources) and handlers.
import { join } from "node:path";
import { defaultsOf, type Static, type TObject } from "./role-vars.ts";
import type { HostFacts } from "../facts/host.ts";
import type { Host, Inventory } from "../inventory/types.ts";
import type { Resource } from "../resources/resource.ts";
import type { ResourceFactory } from "../resources/index.ts";

/** What a role's tasks and handlers see for one host. */
export interface RoleContext<V> {
  vars: V;
  host: Host;
  facts: HostFacts;
  inventory: Inventory;
  r: ResourceFactory;
  /**
   * Open a NEW connection to this host and run `true` (then close it); rejects when that fails.
   * For a resource's `verify`: e.g. the firewall role proves new SSH logins still work after a change.
   */
  checkNewConnection: () => Promise<void>;
}

export interface RoleDefinition<S extends TObject> {
  name: string;
  /** The role's folder (pass import.meta.dirname); templates are read from <dir>/templates. */
  dir: string;
  /** The role's vars, declared once with lib/dsl/role-vars.ts: ajv validates them (all errors reported), their type and defaults come from it. */
  schema: S;
  /** The resources that describe the converged host, in order. */
  tasks(context: RoleContext<Static<S>>): Resource<any>[];
  /** Named actions run once at the end of the play when notified, in this order. */
  handlers?: Record<string, (context: RoleContext<Static<S>>) => Resource<any>>;
  /** Tags its resources may carry besides the role's name: --tags and --skip-tags are checked against them up front. */
  tags?: readonly string[];
}

export interface Role<V = any> {
  readonly name: string;
  readonly dir: string;
  readonly schema: TObject;
  /** Values used when neither inventory nor play sets a var: the declaration's defaults. */
  readonly defaults: Partial<V>;
  readonly templatesDir: string;
  /** The tags its resources may carry besides its name. */
  readonly tags: readonly string[];
  tasks(context: RoleContext<V>): Resource<any>[];
  handlers?: Record<string, (context: RoleContext<V>) => Resource<any>>;
}

export function defineRole<S extends TObject>(definition: RoleDefinition<S>): Role<Static<S>> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`role name "${definition.name}" must be snake_case`);
  return {
    ...definition,
    defaults: defaultsOf(definition.schema) as Partial<Static<S>>,
    tags: definition.tags ?? [],
    templatesDir: join(definition.dir, "templates"),
  };
}
