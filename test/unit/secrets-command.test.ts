// `secrets.ts` over a scratch clear secrets file: its help, list (set, missing, from the environment, a rotation left
// unfinished, an unreadable file), set --generate, rotate's refusals and --check plan, recipients refused on a clear
// file, an unknown command; values never printed.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { secretsCommand, secretsHelp, type SecretsCommandSite } from "../../lib/cli/secrets-command.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { secret } from "../../lib/secret.ts";
import { scratchDir } from "./support/scratch.ts";

const scratch = scratchDir("secrets-command-");
const role = (name: string) => defineRole({ name, dir: import.meta.dirname, schema: RoleVars({}), tasks: () => [] });
const site = (secretsFile: string): SecretsCommandSite => ({
  inventory: defineInventory({
    environments: {
      test: {
        ssh: { user: "ops" },
        secretsFile,
        vars: { app: { pw: secret("app_pw") } },
        hosts: {
          web1: { address: "10.0.0.1" },
          web2: { address: "10.0.0.2", ssh: { becomePassword: secret("sudo_pw") } },
        },
        groups: { web: { hosts: ["web1", "web2"] } },
      },
    },
  }),
  playbook: definePlaybook("site", [{ name: "web", hosts: "web", roles: [role("app")] }]),
  rotations: {},
  converge: async () => assert.unreachable("a rotation under --check converges nothing") as never,
});

/** A clear secrets file in the scratch directory holding `values`; its path. */
function secretsFile(name: string, values: Record<string, string> | string): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof values === "string" ? values : JSON.stringify(values));
  return path;
}

/** What `secrets ARGV` printed on stdout and stderr, and its exit code or the message it threw. */
async function secrets(file: string, argv: string[]) {
  let out = "";
  let err = "";
  const { log, error } = console;
  console.log = (line: string) => {
    out += `${line}\n`;
  };
  console.error = (line: string) => {
    err += `${line}\n`;
  };
  try {
    return { code: await secretsCommand(site(file), argv), out, err };
  } catch (thrown) {
    return { error: (thrown as Error).message, out, err };
  } finally {
    console.log = log;
    console.error = error;
  }
}

test("no command: the help on stderr, exit 4; --help or -h: on stdout, exit 0", async () => {
  const file = secretsFile("help.json", {});
  assert.equal(await secrets(file, []), { code: 4, out: "", err: `${secretsHelp()}\n` });
  assert.equal(await secrets(file, ["--help"]), { code: 0, out: `${secretsHelp()}\n`, err: "" });
  assert.equal(await secrets(file, ["-h"]), { code: 0, out: `${secretsHelp()}\n`, err: "" });
  assert.equal(await secrets(file, ["list", "-h"]), { code: 0, out: `${secretsHelp()}\n`, err: "" });
});

test("list: each secret, set or MISSING or from its variable, an unfinished rotation, where it is used; no value", async () => {
  const file = secretsFile("list.json", {
    app_pw: "app-value-1",
    "app_pw@retiring": "old-value-1",
    spare: "spare-value",
  });
  process.env.FOOBAR_SECRET_SPARE = "from-environment";
  try {
    assert.equal(await secrets(file, ["list", "-i", "test"]), {
      code: 0,
      out: [
        `secrets of test (${file}, clear: a throw-away environment):`,
        "  app_pw                   set, rotation unfinished roles app; hosts web1, web2",
        "  spare                    from FOOBAR_SECRET_SPARE used by no role or host here",
        "  sudo_pw                  MISSING      sudo password (become) on web2",
        "",
      ].join("\n"),
      err: "",
    });
  } finally {
    delete process.env.FOOBAR_SECRET_SPARE;
  }
});

test("list of a file that cannot be read: every value unchecked, and why", async () => {
  const file = secretsFile("broken.json", "{ not json");
  const { code, out } = await secrets(file, ["list", "-i", "test"]);
  assert.is(code, 0);
  const lines = out.split("\n");
  assert.is(lines[1], "  app_pw                   ?            roles app; hosts web1, web2");
  assert.match(lines[3]!, /^\(values not checked: secrets file .*broken\.json: /);
});

test("set --generate: a random value stored, never printed; whether a role of the playbook uses it", async () => {
  const file = secretsFile("set.json", {});
  const used = await secrets(file, ["set", "app_pw", "--generate", "-i", "test"]);
  assert.equal(used, {
    code: 0,
    out: `app_pw: stored in ${file}; the next converge applies it (\`secrets.ts rotate\` does it without failed requests)\n`,
    err: "",
  });
  const unused = await secrets(file, ["set", "other_pw", "--generate", "-i", "test"]);
  assert.is(unused.out, `other_pw: stored in ${file} (no role of this playbook uses it)\n`);
  const values = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  assert.equal(Object.keys(values), ["app_pw", "other_pw"]);
  assert.ok(values.app_pw!.length >= 8 && values.app_pw !== values.other_pw);
  assert.not.ok(used.out.includes(values.app_pw!) || unused.out.includes(values.other_pw!));
});

test("set: a name that is no lower-case identifier is invalid input", async () => {
  const file = secretsFile("set-bad.json", {});
  for (const name of ["App_pw", "1pw", "pw-x"])
    assert.is(
      (await secrets(file, ["set", name, "--generate", "-i", "test"])).error,
      `secrets set: a name like db_app_password is needed, found "${name}"`,
    );
  assert.is(
    (await secrets(file, ["set", "--generate", "-i", "test"])).error,
    'secrets set: a name like db_app_password is needed, found ""',
  );
});

test("rotate: none named, one no role uses, a sudo password: refused saying what to do", async () => {
  const file = secretsFile("rotate-bad.json", { app_pw: "app-value-1" });
  assert.is((await secrets(file, ["rotate", "-i", "test"])).error, "secrets.ts rotate: name the secrets to rotate");
  assert.is(
    (await secrets(file, ["rotate", "nobody_pw", "sudo_pw", "-i", "test"])).error,
    [
      "2 problems:",
      "  - secrets.ts rotate: no role of site uses nobody_pw in test",
      "  - secrets.ts rotate: sudo_pw is the sudo password on web2, which no role sets: change it there (passwd), then `secrets.ts -i test set sudo_pw`",
    ].join("\n"),
  );
});

test("rotate --check: the plan per secret and nothing changed, exit 2", async () => {
  const file = secretsFile("rotate-check.json", { app_pw: "app-value-1" });
  assert.equal(await secrets(file, ["rotate", "app_pw", "--check", "-i", "test"]), {
    code: 2,
    out: [
      `--check: app_pw: would store a new value in ${file}, then apply it to web1, web2 (roles app) by converging them`,
      "--check: nothing was changed",
      "",
    ].join("\n"),
    err: "",
  });
  assert.equal(JSON.parse(readFileSync(file, "utf8")), { app_pw: "app-value-1" });
});

test("recipients of a clear file, and an unknown command: invalid input", async () => {
  const file = secretsFile("clear.json", {});
  assert.is(
    (await secrets(file, ["recipients", "-i", "test"])).error,
    `environment test keeps its secrets in the clear file ${file} (a throw-away lab): it has no recipients`,
  );
  assert.is(
    (await secrets(file, ["nope", "-i", "test"])).error,
    'secrets.ts: unknown command "nope" (identity, list, set, edit, recipients, rotate)',
  );
});

test.run();
