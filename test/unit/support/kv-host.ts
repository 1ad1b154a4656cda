// Test support: a fake host whose state is a key-value store, and resources/roles that use it.
import { shellProbe } from "../../../lib/facts/probe.ts";
import {
  fakeConnector,
  shellOf,
  type FakeHostOptions,
  type FakeLog,
  type SnippetHandler,
} from "../../../lib/testing/fake-transport.ts";
import { defineInventory } from "../../../lib/inventory/define.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import type { Resource } from "../../../lib/resources/resource.ts";
import { RoleVars } from "../../../lib/dsl/role-vars.ts";

/** A host's state; `actions` records every apply step in order. */
export interface KvHost {
  store: Map<string, string>;
  actions: string[];
}

/** Snippets: "get KEY" (probe), "set KEY VALUE" (step), "do NAME" (step), "fail MESSAGE" (step). */
export function kvHandler(host: KvHost): SnippetHandler {
  return (request) => {
    const snippet = shellOf(request) ?? "";
    const [verb, key = "", ...rest] = snippet.split(" ");
    if (request.kind === "probe" && verb === "get")
      return { output: host.store.get(key) ?? "", status: host.store.has(key) ? 0 : 1 };
    host.actions.push(snippet);
    if (verb === "set") host.store.set(key, rest.join(" "));
    if (verb === "fail") return { output: `boom: ${key}`, status: 1 };
    return { output: "", status: 0 };
  };
}

/** A resource: key must hold value. */
export function kv(
  key: string,
  value: string,
  options: { notify?: string[]; tags?: string[] } = {},
): Resource<string | null> {
  return {
    id: `kv:${key}`,
    notify: options.notify ?? [],
    tags: options.tags ?? [],
    probe: () => shellProbe(`get ${key}`),
    parse: (stdout, status) => (status === 0 ? stdout : null),
    plan: (current) => (current === value ? [] : [{ summary: `${key} ${current ?? "(unset)"} -> ${value}` }]),
    apply: () => `set ${key} ${value}`,
  };
}

/** A handler action that records its name. */
export function action(name: string): Resource<null> {
  return {
    id: `do:${name}`,
    notify: [],
    tags: [],
    probe: () => shellProbe("true"),
    parse: () => null,
    plan: () => [{ summary: name }],
    apply: () => `do ${name}`,
  };
}

export function newHosts(names: string[]): Record<string, KvHost> {
  return Object.fromEntries(names.map((name) => [name, { store: new Map(), actions: [] }]));
}

export function connectorFor(
  hosts: Record<string, KvHost>,
  log: FakeLog,
  options: Record<string, FakeHostOptions> = {},
) {
  return fakeConnector(
    Object.fromEntries(Object.entries(hosts).map(([name, host]) => [name, kvHandler(host)])),
    log,
    options,
  );
}

/** An inventory of n fake hosts in group "all_fake" (web-like group "web" = the first two). */
export function fakeInventory(
  names: string[],
  extra: {
    vars?: Record<string, unknown>;
    hostVars?: Record<string, Record<string, unknown>>;
    groupVars?: Record<string, unknown>;
  } = {},
) {
  return defineInventory({
    environments: {
      test: {
        hosts: Object.fromEntries(
          names.map((name, index) => [
            name,
            { address: `10.9.${Math.floor(index / 250)}.${(index % 250) + 1}`, vars: extra.hostVars?.[name] },
          ]),
        ),
        groups: { all_fake: { hosts: names, vars: extra.groupVars }, web: { hosts: names.slice(0, 2) } },
        vars: extra.vars,
        ssh: { user: "root" },
      },
    },
  });
}

/** A role of 30 key-value resources: the engine's no-op figure (runner test and bench) uses it. */
export const thirtyKeys = defineRole({
  name: "thirty",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => Array.from({ length: 30 }, (_, index) => kv(`k${index}`, `v${index}`)),
});
