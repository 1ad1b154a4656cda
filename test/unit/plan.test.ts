// planPlays: a play's targets ("all" without an "all" group is every host), and the input errors it collects before any
// connection: a target that is no host or group, the missing secrets in name order.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { definePlaybook, type Play } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars, SecretVar } from "../../lib/dsl/role-vars.ts";
import { planPlays } from "../../lib/runner/plan.ts";
import type { ValidVarsMemo } from "../../lib/runner/valid-vars-memo.ts";
import { secret } from "../../lib/secret.ts";
import { openSecretStore } from "../../lib/secrets/store.ts";
import { kv } from "./support/kv-host.ts";
import { scratchDir } from "./support/scratch.ts";

const keys = defineRole({
  name: "keys",
  dir: import.meta.dirname,
  schema: RoleVars({
    first: SecretVar({ description: "A secret." }),
    second: SecretVar({ description: "Another secret." }),
  }),
  tasks: () => [kv("k", "v")],
});

const spec = defineInventory({
  environments: {
    test: {
      hosts: { "web-1": { address: "10.0.0.1" }, "web-2": { address: "10.0.0.2" }, "db-1": { address: "10.0.0.3" } },
      groups: { web: { hosts: ["web-1", "web-2"] }, db: { hosts: ["db-1"] } },
      vars: { keys: { first: secret("zeta_key"), second: secret("alpha_key") } },
    },
  },
});

/** planPlays over `plays` on every host of the test environment, with the secrets `values` set; its error if any. */
async function plan(plays: Play[], values: Record<string, string>, memo?: ValidVarsMemo, groups = {}) {
  const inventory = loadInventory(
    {
      environments: { test: { ...spec.environments.test!, groups: { ...spec.environments.test!.groups, ...groups } } },
    },
    "test",
  );
  Object.assign(process.env, values);
  try {
    const secrets = await openSecretStore({
      file: inventory.secretsFile,
      repoRoot: scratchDir("plan-"),
      environment: "test",
      generate: false,
    });
    const selected = new Set(inventory.hosts.map((host) => host.name));
    return planPlays(definePlaybook("plan", plays), inventory, selected, secrets, memo);
  } finally {
    for (const name of Object.keys(values)) delete process.env[name];
  }
}

const both = { FOOBAR_SECRET_ZETA_KEY: "zeta-value", FOOBAR_SECRET_ALPHA_KEY: "alpha-value" };

test('hosts "all" in an environment without an "all" group is every host, in the inventory\'s order', async () => {
  const plays = await plan([{ name: "everywhere", hosts: "all", roles: [keys] }], both);
  assert.equal(
    plays.map((hostPlays) => hostPlays.map((item) => item.host.name)),
    [["web-1", "web-2", "db-1"]],
  );
});

test("a play naming no host or group is an input error naming the play and the name, not a crash", async () => {
  const error = await plan(
    [
      { name: "typo", hosts: ["web", "wbe"], roles: [keys] },
      { name: "fine", hosts: "db", roles: [keys] },
    ],
    both,
  ).catch((thrown: unknown) => thrown);
  assert.ok(error instanceof InputError, String(error));
  assert.equal(error.problems.length, 1, error.message);
  assert.ok(error.message.startsWith('play "typo": ') && error.message.includes('"wbe"'), error.message);
});

test("missing secrets with no secrets file yet are named in alphabetical order", async () => {
  const error = await plan([{ name: "p", hosts: "web", roles: [keys] }], {}).catch((thrown: unknown) => thrown);
  assert.ok(error instanceof InputError, String(error));
  assert.match(error.message, /this run needs 2: alpha_key, zeta_key\./);
});

test('hosts "all" in an environment with an "all" group is that group', async () => {
  const plays = await plan([{ name: "some", hosts: "all", roles: [keys] }], both, undefined, {
    all: { hosts: ["db-1"] },
  });
  assert.equal(
    plays.map((hostPlays) => hostPlays.map((item) => item.host.name)),
    [["db-1"]],
  );
});

test("the valid-vars memo: vars it passed are not validated again, vars that passed now are recorded", async () => {
  const recorded: string[] = [];
  const memo = (passed: boolean): ValidVarsMemo => ({
    passed: () => passed,
    record: (role) => recorded.push(role.name),
    save: () => {},
  });
  const plays = [{ name: "p", hosts: "db", roles: [{ role: keys, vars: { first: 42 } }] }];
  assert.equal((await plan(plays, both, memo(true))).length, 1, "42 is no secret, but the memo says these vars passed");
  assert.equal(recorded, []);
  const refused = await plan(plays, both, memo(false)).catch((error: unknown) => error);
  assert.ok(refused instanceof InputError, String(refused));
  assert.equal(recorded, [], "vars that failed are not recorded");
  await plan([{ name: "p", hosts: "web", roles: [keys] }], both, memo(false));
  assert.equal(recorded, ["keys", "keys"]);
});

test.run();
