// Var merge order, schema errors (all at once, before any connection), secrets resolution.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { mergeRoleVars } from "../../lib/runner/vars.ts";
import { openSecretStore } from "../../lib/secrets/store.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { runPlaybook } from "../../lib/runner/run.ts";
import { secret } from "../../lib/secret.ts";
import { kv } from "./support/kv-host.ts";
import { recorder } from "./support/run.ts";
import { OneOf, Port, RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { scratchDir } from "./support/scratch.ts";

const lb = defineRole({
  name: "lb",
  dir: import.meta.dirname,
  schema: RoleVars({
    balance: OneOf(["roundrobin", "leastconn", "source"], { default: "roundrobin", description: "Algorithm." }),
    port: Port({ default: 80, description: "Port." }),
    from: Type.Optional(Type.String({ default: "defaults", description: "Which layer set the vars." })),
    password: SecretVar({ description: "Stats password." }),
  }),
  tasks: ({ vars }) => [kv("balance", vars.balance)],
});

function inventory(lbVars: { env?: object; group?: object; host?: object }) {
  return defineInventory({
    environments: {
      test: {
        hosts: { "lb-1": { address: "10.0.0.1", vars: { lb: lbVars.host } }, "lb-2": { address: "10.0.0.2" } },
        groups: { lb: { hosts: ["lb-1", "lb-2"], vars: { lb: lbVars.group } } },
        vars: { lb: lbVars.env },
      },
    },
  });
}

async function run(
  spec: ReturnType<typeof inventory>,
  playVars?: object,
  env: Record<string, string> = { FOOBAR_SECRET_LB_PASSWORD: "s3cret-value-1" },
) {
  const connects: string[] = [];
  Object.assign(process.env, env);
  try {
    return await runPlaybook(
      definePlaybook("t", [
        { name: "p", hosts: "lb", roles: [{ role: lb, vars: playVars as Record<string, unknown> }] },
      ]),
      {
        inventory: spec,
        environment: "test",
        check: true,
        diff: false,
        forks: 5,
        reporter: recorder(),
        connect: async (host) => {
          connects.push(host.name);
          throw new Error("no connection expected");
        },
        connectFresh: async () => {
          throw new Error("no connection expected");
        },
        repoRoot: scratchDir("repo-"),
        factsDir: null,
      },
    ).then(
      (result) => ({ result, connects, error: undefined }),
      (error: unknown) => ({ result: undefined, connects, error }),
    );
  } finally {
    for (const name of Object.keys(env)) delete process.env[name];
  }
}

test("vars merge defaults -> inventory -> group -> host -> play", async () => {
  const spec = inventory({
    env: { from: "env", port: 81, password: secret("lb_password") },
    group: { from: "group", port: 82 },
    host: { from: "host" },
  });
  const { error, connects } = await run(spec, { port: 8080 });
  assert.is(error, undefined);
  assert.equal(connects.sort(), ["lb-1", "lb-2"], "valid vars: the run went on to connect");
  const loaded = loadInventory(spec, "test");
  const { password: _hidden, ...first } = mergeRoleVars(lb, loaded, loaded.host("lb-1"), { port: 8080 });
  assert.equal(first, { balance: "roundrobin", port: 8080, from: "host" });
  const { password: _too, ...second } = mergeRoleVars(lb, loaded, loaded.host("lb-2"));
  assert.equal(second, { balance: "roundrobin", port: 82, from: "group" });
});

test("schema errors name host, role, path, expectation and value — all of them, with no connection", async () => {
  const spec = inventory({
    host: { balance: "random", port: "eighty", colour: "blue" },
    group: { password: "plain-text" },
  });
  const { error, connects } = await run(spec, undefined, {});
  assert.ok(error instanceof InputError, String(error));
  assert.equal(connects, []);
  const text = (error as InputError).problems.join("\n");
  assert.match(
    text,
    /host lb-1, role lb: \/balance: must be one of "roundrobin", "leastconn", "source", found "random"/,
  );
  assert.match(text, /host lb-1, role lb: \/port: must be integer, found "eighty"/);
  assert.match(text, /host lb-1, role lb: \/: unknown var "colour"/);
  assert.match(text, /host lb-2, role lb: \/password: expected a secret/);
  assert.not.match(text, /plain-text/, "a value meant as a secret is never echoed");
});

test("a missing secret with no secrets file yet: the file named, with the commands that create it in order", async () => {
  const spec = inventory({ env: { password: secret("lb_password") } });
  const { error, connects } = await run(spec, undefined, {});
  assert.ok(error instanceof InputError);
  const message = (error as Error).message;
  assert.match(
    message,
    /^environment test keeps its secrets in secrets\/test\.age, which does not exist yet; this run needs 1: lb_password\./,
  );
  const steps = [
    "secrets.ts identity",
    "secrets.ts -i test recipients add",
    "secrets.ts -i test set NAME",
    "commit secrets/test.age",
  ];
  const at = steps.map((step) => message.indexOf(step));
  assert.ok(
    at.every((index) => index > 0),
    message,
  );
  assert.equal(
    [...at].sort((a, b) => a - b),
    at,
    "the steps in the order they must run",
  );
  assert.not.match(
    message,
    /found a plain object/,
    "the schema's complaint about the unresolved reference is left out",
  );
  assert.equal(connects, []);
});

test("secrets resolve from the environment, then the secrets file; labs may generate them", async () => {
  const repo = scratchDir("repo-");
  writeFileSync(join(repo, "s.json"), JSON.stringify({ a_pw: "from-file-123" }));
  process.env.FOOBAR_SECRET_B_PW = "from-env-4567";
  const store = await openSecretStore({ file: "s.json", repoRoot: repo, environment: "test", generate: false });
  assert.is(store.lookup("a_pw")!.reveal(), "from-file-123");
  assert.is(store.lookup("b_pw")!.reveal(), "from-env-4567");
  assert.is(store.lookup("c_pw"), undefined);
  delete process.env.FOOBAR_SECRET_B_PW;
  const generated = (
    await openSecretStore({ file: "lab/secrets.json", repoRoot: repo, environment: "lab", generate: true })
  ).lookup("d_pw")!;
  assert.ok(generated.reveal().length >= 16);
  assert.is(String(generated), "********");
  assert.is(JSON.parse(readFileSync(join(repo, "lab/secrets.json"), "utf8")).d_pw, generated.reveal());
  assert.is(statSync(join(repo, "lab/secrets.json")).mode & 0o777, 0o600);
});

test("inventory problems: unknown group member, host in no group, duplicate address — exit 4 material", async () => {
  const spec = defineInventory({
    environments: {
      test: {
        hosts: { a: { address: "10.0.0.1" }, b: { address: "10.0.0.1" }, lonely: { address: "10.0.0.3" } },
        groups: { g: { hosts: ["a", "b", "ghost"] } },
      },
    },
  });
  try {
    loadInventory(spec, "test");
    assert.unreachable("should throw");
  } catch (error) {
    assert.ok(error instanceof InputError);
    const text = error.problems.join("\n");
    assert.match(text, /group "g" lists unknown host "ghost"/);
    assert.match(text, /host "lonely" is in no group/);
    assert.match(text, /hosts "a" and "b" have the same address 10.0.0.1:22/);
  }
  assert.throws(() => loadInventory(spec, "staging"), /unknown inventory "staging"/);
});

test.run();
