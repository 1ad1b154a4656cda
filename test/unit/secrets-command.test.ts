// `secrets.ts` over a scratch clear secrets file: its help, list (set, missing, from the environment, a rotation left
// unfinished, an unreadable file), set --generate, edit through $EDITOR, rotate's refusals, --check plan and rotations
// applied, identity in a scratch key file, recipients refused on a clear file, an unknown command; values never printed.
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { secretsHelp } from "../../lib/cli/secrets-command.ts";
import { scratchDir } from "./support/scratch.ts";
import { secrets } from "./support/secrets-command.ts";

const scratch = scratchDir("secrets-command-");

/** A clear secrets file in the scratch directory holding `values`; its path. */
function secretsFile(name: string, values: Record<string, string> | string): string {
  const path = join(scratch, name);
  writeFileSync(path, typeof values === "string" ? values : JSON.stringify(values));
  return path;
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

test("rotate: a new value stored, the hosts that use it converged with it, the old one forgotten; a failed converge stops it", async () => {
  const file = secretsFile("rotate.json", { app_pw: "app-value-1" });
  const limits: string[] = [];
  const converge = async (_cli: unknown, limit: string) => {
    limits.push(limit);
    return limits.length === 1 ? 1 : 0;
  };
  const stopped = await secrets(file, ["rotate", "app_pw", "-i", "test"], { converge });
  assert.is(stopped.code, 1);
  assert.match(stopped.out, /app_pw: rotation stopped \(exit 1\)/);
  assert.is(JSON.parse(readFileSync(file, "utf8"))["app_pw@retiring"], "app-value-1");
  const finished = await secrets(file, ["rotate", "app_pw", "-i", "test"], { converge });
  assert.is(finished.code, 0);
  assert.match(finished.out, /app_pw: rotated; the old value is forgotten/);
  assert.equal(limits, ["web1,web2", "web1,web2"]);
  const values = JSON.parse(readFileSync(file, "utf8")) as Record<string, string>;
  assert.equal(Object.keys(values), ["app_pw"]);
  assert.is.not(values.app_pw, "app-value-1");
});

test("rotate: a secret with a rotation of its own is applied by it, not by a converge", async () => {
  const file = secretsFile("rotate-own.json", { app_pw: "app-value-1" });
  const applied: string[] = [];
  const rotations = {
    app_pw: () => async () => {
      applied.push("app_pw");
      return 0;
    },
  };
  assert.is((await secrets(file, ["rotate", "app_pw", "-i", "test"], { rotations })).code, 0);
  assert.equal(applied, ["app_pw"]);
});

test("identity: created in $FOOBAR_AGE_IDENTITY_FILE (0600) with its public key printed; then that key again", async () => {
  const identityFile = join(scratch, "identity", "age.txt");
  const saved = { file: process.env.FOOBAR_AGE_IDENTITY_FILE, inline: process.env.FOOBAR_AGE_IDENTITY };
  process.env.FOOBAR_AGE_IDENTITY_FILE = identityFile;
  delete process.env.FOOBAR_AGE_IDENTITY;
  try {
    const created = await secrets("unused.json", ["identity"]);
    const [first, recipient, last] = created.out.trimEnd().split("\n");
    assert.is(
      first,
      `created your age identity in ${identityFile} (mode 0600; keep it out of backups you do not trust)`,
    );
    assert.match(recipient!, /^age1[a-z0-9]+$/);
    assert.is(
      last,
      "send this public key to someone with access; they run `secrets.ts -i ENV recipients add <key> <your name>` and commit",
    );
    assert.is(statSync(identityFile).mode & 0o777, 0o600);
    assert.equal(await secrets("unused.json", ["identity"]), {
      code: 0,
      out: `${recipient}   (from ${identityFile})\n`,
      err: "",
    });
    writeFileSync(identityFile, "# no key here\n");
    assert.is(
      (await secrets("unused.json", ["identity"])).error,
      `${identityFile} exists already: it is someone's key, not replaced`,
    );
    assert.is(
      (await secrets("unused.json", ["identity", "-i", "test"])).error,
      "secrets.ts identity: --inventory is not supported: your age identity is the same for every environment",
    );
  } finally {
    for (const [name, value] of [
      ["FOOBAR_AGE_IDENTITY_FILE", saved.file],
      ["FOOBAR_AGE_IDENTITY", saved.inline],
    ] as const)
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
});

test("edit: the values through $EDITOR, saved when it changed them, else said unchanged", async () => {
  const file = secretsFile("edit.json", { app_pw: "app-value-1" });
  const editor = join(scratch, "editor");
  writeFileSync(editor, `#!/bin/sh\nprintf '{"app_pw":"app-value-2","extra_pw":"extra-value"}' > "$1"\n`, {
    mode: 0o755,
  });
  const saved = { VISUAL: process.env.VISUAL, EDITOR: process.env.EDITOR };
  delete process.env.VISUAL;
  try {
    process.env.EDITOR = "true";
    assert.equal(await secrets(file, ["edit", "-i", "test"]), { code: 0, out: `${file}: unchanged\n`, err: "" });
    process.env.EDITOR = editor;
    assert.equal(await secrets(file, ["edit", "-i", "test"]), { code: 0, out: `${file}: saved (2 values)\n`, err: "" });
    assert.equal(JSON.parse(readFileSync(file, "utf8")), { app_pw: "app-value-2", extra_pw: "extra-value" });
  } finally {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  }
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
