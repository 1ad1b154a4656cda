// The encrypted secrets file: round trip, access by identity (exit 4 before any connection), recipients, rotation records.
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tool } from "../../lab/requirements.ts";
import { capture } from "../../lab/run-command.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars, SecretVar } from "../../lib/dsl/role-vars.ts";
import { runPlaybook } from "../../lib/runner/run.ts";
import { editValues } from "../../lib/secrets/edit.ts";
import { IDENTITY_ENV, IDENTITY_FILE_ENV } from "../../lib/secrets/identity.ts";
import { recipientsPathOf, writeRecipients, type Recipient } from "../../lib/secrets/recipients.ts";
import { retiringKey, rotateSecret } from "../../lib/secrets/rotation.ts";
import { secret } from "../../lib/secret.ts";
import { secretsFileFor } from "../../lib/secrets/open-file.ts";
import { kv } from "./support/kv-host.ts";
import { recorder } from "./support/run.ts";

const VALUE = "db-password-for-the-round-trip";

/** Scratch directories of this file's tests, removed after them. */
const scratchDirs: string[] = [];
const scratch = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratchDirs.push(dir);
  return dir;
};
test.after(() => scratchDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

async function person(owner: string): Promise<{ identity: string; recipient: Recipient }> {
  const identity = await generateX25519Identity();
  return { identity, recipient: { key: await identityToRecipient(identity), owner } };
}

/** A scratch repository whose production secrets are encrypted to `recipients`. */
function scratchRepo(recipients: Recipient[]): string {
  const repo = scratch("secrets-");
  mkdirSync(join(repo, "secrets"));
  writeRecipients(recipientsPathOf(join(repo, "secrets/production.age")), recipients);
  return repo;
}

/** Run `body` with the identity in $FOOBAR_AGE_IDENTITY (or none at all), restoring the environment after. */
async function as<T>(identity: string | undefined, body: () => Promise<T>): Promise<T> {
  const saved = { inline: process.env[IDENTITY_ENV], file: process.env[IDENTITY_FILE_ENV] };
  if (identity) process.env[IDENTITY_ENV] = identity;
  else delete process.env[IDENTITY_ENV];
  process.env[IDENTITY_FILE_ENV] = "/nonexistent/identity.txt";
  try {
    return await body();
  } finally {
    for (const [name, value] of [
      [IDENTITY_ENV, saved.inline],
      [IDENTITY_FILE_ENV, saved.file],
    ] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

test("round trip: written encrypted (armored age, no value in clear), read back with a recipient's identity", async () => {
  const alice = await person("alice");
  const repo = scratchRepo([alice.recipient]);
  const file = secretsFileFor("secrets/production.age", repo, "production");
  await file.write({ db_app_password: VALUE });
  const stored = readFileSync(join(repo, "secrets/production.age"), "utf8");
  assert.match(stored, /^-----BEGIN AGE ENCRYPTED FILE-----\n/);
  assert.not.ok(stored.includes(VALUE) || stored.includes("db_app_password"), "names and values are encrypted");
  assert.equal(await as(alice.identity, () => file.read()), { db_app_password: VALUE });
});

test("the age CLI reads what the runner writes, and the runner reads what the age CLI writes", async () => {
  const alice = await person("alice");
  const repo = scratchRepo([alice.recipient]);
  const identityFile = join(repo, "alice.txt");
  writeFileSync(identityFile, `${alice.identity}\n`, { mode: 0o600 });
  const file = secretsFileFor("secrets/production.age", repo, "production");
  await file.write({ db_app_password: VALUE });
  const decrypted = await capture(tool("age"), ["--decrypt", "-i", identityFile, file.path]);
  assert.is(decrypted.code, 0, decrypted.stderr);
  assert.equal(JSON.parse(decrypted.stdout), { db_app_password: VALUE });
  const encrypted = await capture(tool("age"), ["--encrypt", "--armor", "-r", alice.recipient.key, "-o", file.path], {
    input: JSON.stringify({ db_app_password: "written-by-the-age-cli" }),
  });
  assert.is(encrypted.code, 0, encrypted.stderr);
  assert.equal(await as(alice.identity, () => file.read()), { db_app_password: "written-by-the-age-cli" });
});

const role = defineRole({
  name: "db",
  dir: import.meta.dirname,
  schema: RoleVars({ password: SecretVar({ default: secret("db_app_password"), description: "The password." }) }),
  tasks: ({ vars }) => [kv("password", vars.password.reveal())],
});

/** Converge the one-role playbook on production of `repo`: the error it ends with, and the hosts it connected to. */
async function converge(repo: string): Promise<{ error?: Error; connects: string[] }> {
  const connects: string[] = [];
  const inventory = defineInventory({
    environments: { production: { hosts: { "db-1": { address: "10.0.0.21" } }, groups: { db: { hosts: ["db-1"] } } } },
  });
  try {
    await runPlaybook(definePlaybook("t", [{ name: "p", hosts: "db", roles: [role] }]), {
      inventory,
      environment: "production",
      check: true,
      diff: false,
      forks: 1,
      reporter: recorder(),
      repoRoot: repo,
      factsDir: null,
      connect: async (host) => {
        connects.push(host.name);
        throw new Error("connected");
      },
      connectFresh: async () => {
        throw new Error("connected");
      },
    });
    return { connects };
  } catch (error) {
    return { error: error as Error, connects };
  }
}

test("no identity, or one that is not a recipient: exit 4 naming the file and how to get access, before any connection", async () => {
  const alice = await person("alice");
  const mallory = await person("mallory");
  const repo = scratchRepo([alice.recipient]);
  await secretsFileFor("secrets/production.age", repo, "production").write({ db_app_password: VALUE });
  for (const identity of [undefined, mallory.identity]) {
    const { error, connects } = await as(identity, () => converge(repo));
    assert.ok(error instanceof InputError, `${identity ? "wrong" : "no"} identity: ${error?.message}`);
    assert.match(error!.message, /secrets file secrets\/production\.age/);
    assert.match(error!.message, /secrets\.ts identity.*recipients add <your key>/);
    assert.not.ok(error!.message.includes(VALUE));
    assert.equal(connects, [], "nothing was contacted");
  }
  const allowed = await as(alice.identity, () => converge(repo));
  assert.equal(allowed.connects, ["db-1"], "with the right identity the run goes on to connect");
  const fromEnv = await as(undefined, async () => {
    process.env.FOOBAR_SECRET_DB_APP_PASSWORD = VALUE;
    try {
      return await converge(repo);
    } finally {
      delete process.env.FOOBAR_SECRET_DB_APP_PASSWORD;
    }
  });
  assert.equal(fromEnv.connects, ["db-1"], "a CI system with FOOBAR_SECRET_ variables needs no identity");
});

test("a removed recipient cannot decrypt what is written after its removal; the others still can", async () => {
  const alice = await person("alice");
  const bob = await person("bob");
  const repo = scratchRepo([alice.recipient, bob.recipient]);
  const file = secretsFileFor("secrets/production.age", repo, "production");
  await file.write({ db_app_password: VALUE });
  assert.equal(await as(bob.identity, () => file.read()), { db_app_password: VALUE }, "bob can read while a recipient");
  writeRecipients(recipientsPathOf(file.path), [alice.recipient]);
  await file.write({ db_app_password: "rotated-after-bob-left" });
  const refused = await as(bob.identity, () => file.read().catch((error: Error) => error));
  assert.ok(refused instanceof InputError, "bob can no longer decrypt");
  assert.match((refused as Error).message, /not among the recipients in secrets\/production\.recipients/);
  assert.equal(await as(alice.identity, () => file.read()), { db_app_password: "rotated-after-bob-left" });
});

test("rotation: the old value is kept as retiring until the apply succeeds; a stopped rotation resumes with the same values", async () => {
  const repo = scratch("rotation-");
  const file = secretsFileFor("lab/secrets.json", repo, "lab");
  await file.write({ db_app_password: "old-value-123" });
  const seen: Array<{ next: string; retiring: string }> = [];
  const failing = async (values: { next: { reveal(): string }; retiring: { reveal(): string } }) => {
    seen.push({ next: values.next.reveal(), retiring: values.retiring.reveal() });
    return 1;
  };
  assert.is(await rotateSecret(file, "db_app_password", failing, () => undefined), 1);
  const midway = await file.read();
  assert.is(midway[retiringKey("db_app_password")], "old-value-123");
  assert.is.not(midway.db_app_password, "old-value-123");
  const succeeding = async (values: { next: { reveal(): string }; retiring: { reveal(): string } }) => {
    seen.push({ next: values.next.reveal(), retiring: values.retiring.reveal() });
    return 0;
  };
  assert.is(await rotateSecret(file, "db_app_password", succeeding, () => undefined), 0);
  assert.equal(seen[1], seen[0], "the resumed rotation applies the same new and retiring values");
  assert.equal(await file.read(), { db_app_password: seen[0]!.next }, "done: the retiring value is forgotten");
  const missing = await rotateSecret(file, "db_read_password", failing, () => undefined).catch((error: Error) => error);
  assert.ok(missing instanceof InputError && /has no db_read_password/.test(missing.message));
});

test("edit: the editor gets a 0600 file on tmpfs, its result is validated, and the file is gone after", async () => {
  const dir = scratch("editor-");
  const editor = join(dir, "editor.sh");
  const report = join(dir, "report");
  writeFileSync(
    editor,
    `#!/bin/sh\nprintf '%s %s %s' "$1" "$(stat -c %a "$1")" "$(stat -f -c %T "$1")" > ${report}\nsed -i "s/old-value-123/new-value-456/" "$1"\n`,
  );
  chmodSync(editor, 0o755);
  const saved = process.env.EDITOR;
  process.env.EDITOR = editor;
  delete process.env.VISUAL;
  try {
    assert.equal(await editValues({ db_app_password: "old-value-123" }, "secrets/production.age"), {
      db_app_password: "new-value-456",
    });
    const [path, mode, filesystem] = readFileSync(report, "utf8").split(" ");
    assert.is(mode, "600");
    assert.is(filesystem, "tmpfs");
    assert.not.ok(existsSync(path!), "the private file is removed");
    writeFileSync(editor, `#!/bin/sh\necho '{"db_app_password": 42}' > "$1"\n`);
    await editValues({ db_app_password: "old-value-123" }, "secrets/production.age").then(
      () => assert.unreachable("a value that is not a string is refused"),
      (error: Error) =>
        assert.match(
          error.message,
          /must be a JSON object of names to string values; secrets\/production\.age left as it was/,
        ),
    );
  } finally {
    if (saved === undefined) delete process.env.EDITOR;
    else process.env.EDITOR = saved;
  }
});

test.run();
