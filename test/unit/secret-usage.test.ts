// `secrets list`'s usage: every secret a playbook's roles refer to on an environment's hosts (from inventory, group,
// host and play vars, nested in lists and objects among plain strings and nulls, the layer that wins), by which roles
// and hosts in playbook order, and whose sudo password it is; sorted by name.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { secretUses } from "../../lib/cli/secret-usage.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { secret } from "../../lib/secret.ts";

const role = (name: string) => defineRole({ name, dir: import.meta.dirname, schema: RoleVars({}), tasks: () => [] });
const alpha = role("alpha");
const beta = role("beta");
const book = definePlaybook("uses", [
  { name: "base", hosts: "all_hosts", roles: [alpha] },
  { name: "web", hosts: "web", roles: [{ role: beta, vars: { key: secret("play_key") } }] },
  { name: "last", hosts: ["h3"], roles: [{ role: beta, vars: { key: secret("alpha_pw") } }] },
]);
const inventory = loadInventory(
  defineInventory({
    environments: {
      test: {
        ssh: { user: "ops" },
        vars: {
          alpha: { pw: secret("alpha_pw"), motd: "no secret", unset: null, nested: { list: [1, secret("deep_pw")] } },
        },
        hosts: {
          h1: { address: "10.0.0.1", ssh: { becomePassword: secret("alpha_pw") } },
          h2: { address: "10.0.0.2", vars: { beta: { other: secret("h2_other") } } },
          h3: { address: "10.0.0.3", ssh: { becomePassword: secret("sudo_pw") } },
          h4: { address: "10.0.0.4" },
        },
        groups: {
          all_hosts: { hosts: ["h1", "h2", "h3"], vars: { beta: { other: secret("group_other") } } },
          web: { hosts: ["h1", "h2"] },
          spare: { hosts: ["h4"], vars: { alpha: { pw: secret("spare_pw") } } },
        },
      },
    },
  }),
  "test",
);

test("each secret with the roles and hosts that use it and the hosts whose sudo password it is, by name; none of hosts no play targets", () => {
  assert.equal(secretUses(book, inventory), [
    { name: "alpha_pw", roles: ["alpha", "beta"], hosts: ["h1", "h2", "h3"], becomeHosts: ["h1"] },
    { name: "deep_pw", roles: ["alpha"], hosts: ["h1", "h2", "h3"], becomeHosts: [] },
    { name: "group_other", roles: ["beta"], hosts: ["h1", "h3"], becomeHosts: [] },
    { name: "h2_other", roles: ["beta"], hosts: ["h2"], becomeHosts: [] },
    { name: "play_key", roles: ["beta"], hosts: ["h1", "h2"], becomeHosts: [] },
    { name: "sudo_pw", roles: [], hosts: [], becomeHosts: ["h3"] },
  ]);
});

test("a playbook that uses no secret and hosts with no sudo password: none", () => {
  const plain = loadInventory(
    defineInventory({
      environments: {
        test: { ssh: { user: "ops" }, hosts: { h1: { address: "10.0.0.1" } }, groups: { g: { hosts: ["h1"] } } },
      },
    }),
    "test",
  );
  assert.equal(secretUses(definePlaybook("none", [{ name: "p", hosts: "all", roles: [alpha] }]), plain), []);
});

test.run();
