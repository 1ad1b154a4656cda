// defineRole: a role is a JSON schema for its vars, defaults, tasks (resources) and handlers.
import { join } from "node:path";
import type { HostFacts } from "./facts/host.ts";
import type { Host, Inventory } from "./inventory/types.ts";
import type { Resource } from "./resources/resource.ts";
import type { ResourceFactory } from "./resources/index.ts";

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

export interface RoleDefinition<V> {
  name: string;
  /** The role's folder (pass import.meta.dirname); templates are read from <dir>/templates. */
  dir: string;
  /** JSON schema of the role's vars (ajv, all errors reported); `{ secret: true }` marks a secret. */
  schema: object;
  /** Values used when neither inventory nor play sets a var. */
  defaults: Partial<V>;
  /** The resources that describe the converged host, in order. */
  tasks(context: RoleContext<V>): Resource<any>[];
  /** Named actions run once at the end of the play when notified, in this order. */
  handlers?: Record<string, (context: RoleContext<V>) => Resource<any>>;
}

export interface Role<V = any> extends RoleDefinition<V> {
  readonly templatesDir: string;
}

export function defineRole<V>(definition: RoleDefinition<V>): Role<V> {
  if (!/^[a-z][a-z0-9_]*$/.test(definition.name)) throw new Error(`role name "${definition.name}" must be snake_case`);
  return { ...definition, templatesDir: join(definition.dir, "templates") };
}
