// The secrets commands end to end through bin/foobar-infra with a throwaway age identity: identity, recipients, set,
// list and edit on the fixture's environment (its secrets file in a scratch directory, never the repository's
// secrets/), then a converge over SSH that writes the edited value to a host. No value is ever printed.
import { Decrypter, armor } from "age-encryption";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { recipientsPathOf } from "../../lib/secrets/recipients.ts";
import { cliSite, type CliResult } from "./support/cli-site.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");
const site = await cliSite("secrets-cli-", ["alpha"], { vault: true });
test.after(() => site.close());

const identityFile = join(site.home, "keys", "age-identity.txt");
const secretsFile = site.config.secretsFile;
/** The value `set` reads from stdin, and the one the editor writes: random, so that finding one in output means it was printed. */
const stdinValue = `stdin-${crypto.randomUUID()}`;
const editedValue = `edited-${crypto.randomUUID()}`;
/** Every output of every command run here, to scan for values at the end. */
const printed: string[] = [];
/** The value `set --generate` stored (read from the file). */
let generatedValue = "";

/** `bin/foobar-infra test/cli/playbooks/FILE.ts -i ENV ARGS` with the throwaway identity. */
async function cli(
  file: "secrets" | "vault",
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
) {
  const result = await site.cli(file, args, {
    input: options.input,
    inventory: args[0] !== "identity",
    env: { FOOBAR_AGE_IDENTITY_FILE: identityFile, ...options.env },
  });
  printed.push(result.stdout, result.stderr);
  return result;
}
const ok = (result: CliResult) => assert.is(result.code, 0, result.stdout + result.stderr);

/** The secrets file's values, decrypted here with the identity file (age-encryption, not the code under test). */
async function decrypted(): Promise<Record<string, string>> {
  const decrypter = new Decrypter();
  for (const line of readFileSync(identityFile, "utf8").split("\n"))
    if (line.startsWith("AGE-SECRET-KEY-")) decrypter.addIdentity(line);
  return JSON.parse(await decrypter.decrypt(armor.decode(readFileSync(secretsFile, "utf8")), "text"));
}

let publicKey = "";

test("secrets identity creates a 0600 age key in $FOOBAR_AGE_IDENTITY_FILE and prints its public key; run again, it prints that key again", async () => {
  const created = await cli("secrets", ["identity"]);
  ok(created);
  assert.match(created.stdout, new RegExp(`^created your age identity in ${identityFile} \\(mode 0600`, "m"));
  publicKey = /^(age1[a-z0-9]+)$/m.exec(created.stdout)?.[1] ?? "";
  assert.ok(publicKey, created.stdout);
  assert.is(statSync(identityFile).mode & 0o777, 0o600);
  assert.match(readFileSync(identityFile, "utf8"), new RegExp(`^# public key: ${publicKey}\nAGE-SECRET-KEY-1`, "m"));
  const again = await cli("secrets", ["identity"]);
  ok(again);
  assert.is(again.stdout, `${publicKey}   (from ${identityFile})\n`);
});

test("-i ENV recipients add KEY me (the order identity prints) writes the recipients file beside the scratch secrets file (none under the repository's secrets/), and recipients lists it", async () => {
  // As identity's own output says to run it: `secrets.ts -i ENV recipients add <key> <your name>`.
  const added = await cli("secrets", ["-i", site.config.environment, "recipients", "add", publicKey, "me"]);
  ok(added);
  assert.match(added.stdout, new RegExp(`^${publicKey} can now decrypt ${secretsFile}`, "m"));
  assert.match(readFileSync(recipientsPathOf(secretsFile), "utf8"), new RegExp(`^${publicKey} me$`, "m"));
  assert.equal(await decrypted(), {}, "the secrets file is encrypted to the key, with no value yet");
  assert.not.ok(existsSync(join(REPO_ROOT, "secrets", `${site.config.environment}.age`)));
  const listed = await cli("secrets", ["recipients"]);
  ok(listed);
  assert.is(listed.stdout, `${publicKey} me\n`);
});

test("set NAME stores the value piped on stdin, set NAME --generate a random one: both encrypted, neither printed", async () => {
  const fromStdin = await cli("secrets", ["set", "cli_token"], { input: `${stdinValue}\n` });
  ok(fromStdin);
  assert.match(fromStdin.stdout, new RegExp(`^cli_token: stored in ${secretsFile}; the next converge applies it`, "m"));
  const generated = await cli("secrets", ["set", "spare_token", "--generate"]);
  ok(generated);
  assert.match(generated.stdout, /^spare_token: stored in .* \(no role of this playbook uses it\)$/m);
  const values = await decrypted();
  assert.is(values.cli_token, stdinValue, "the trailing newline of stdin is not part of the value");
  generatedValue = values.spare_token ?? "";
  assert.ok(generatedValue.length >= 16, "a generated value");
  const stored = readFileSync(secretsFile, "utf8");
  assert.not.ok(stored.includes(stdinValue) || stored.includes(generatedValue), "no value in clear in the file");
});

test("list shows each secret as set and where it is used, without its value", async () => {
  const listed = await cli("secrets", ["list"]);
  ok(listed);
  assert.match(
    listed.stdout,
    new RegExp(`^secrets of ${site.config.environment} \\(${secretsFile}, encrypted to 1 recipient\\):$`, "m"),
  );
  assert.match(listed.stdout, /^ {2}cli_token +set +roles cli_vault; hosts alpha$/m);
  assert.match(listed.stdout, /^ {2}spare_token +set +used by no role or host here$/m);
});

test("edit with an $EDITOR that rewrites cli_token saves it encrypted; a converge (--diff -v) then writes the new value to the host; no value was ever printed", async () => {
  const editor = join(site.home, "editor.mjs");
  writeFileSync(
    editor,
    `import { readFileSync, writeFileSync } from "node:fs";
const file = process.argv[2];
const values = JSON.parse(readFileSync(file, "utf8"));
values.cli_token = process.env.EDITED_VALUE;
writeFileSync(file, JSON.stringify(values, null, 2) + "\\n");
`,
  );
  const edited = await cli("secrets", ["edit"], {
    env: { EDITOR: `'${process.execPath}' '${editor}'`, EDITED_VALUE: editedValue },
  });
  ok(edited);
  assert.is(edited.stdout, `${secretsFile}: saved (2 values)\n`);
  assert.is((await decrypted()).cli_token, editedValue);
  const converge = await cli("vault", ["--diff", "-v"]);
  ok(converge);
  assert.match(converge.stdout, /^ {2}alpha +ok=0 changed=2 failed=0 unreachable=0 skipped=0$/m);
  assert.match(converge.stdout, /^ +\+\*{8}$/m, "--diff shows ******** in the value's place");
  assert.is(readFileSync(join(site.hosts, "alpha", "token"), "utf8"), editedValue);
  assert.is(statSync(join(site.hosts, "alpha", "token")).mode & 0o777, 0o600);
  for (const output of printed)
    for (const value of [stdinValue, generatedValue, editedValue])
      assert.not.ok(output.includes(value), `a secret's value was printed:\n${output}`);
});

test.run();
