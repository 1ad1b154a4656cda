// `secrets.ts recipients` on a scratch age-encrypted secrets file, the identity in $FOOBAR_AGE_IDENTITY: none yet,
// add (once), list, remove by owner (re-encrypted, rotation suggested), and the removals refused; list counts them.
import { generateX25519Identity, identityToRecipient } from "age-encryption";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { scratchDir } from "./support/scratch.ts";
import { secrets } from "./support/secrets-command.ts";

const scratch = scratchDir("secrets-recipients-");
const file = join(scratch, "test.age");
const recipientsFile = join(scratch, "test.recipients");
const mine = await generateX25519Identity();
const me = await identityToRecipient(mine);
const other = await identityToRecipient(await generateX25519Identity());
const savedIdentity = process.env.FOOBAR_AGE_IDENTITY;
test.before(() => {
  process.env.FOOBAR_AGE_IDENTITY = mine;
});
test.after(() => {
  if (savedIdentity === undefined) delete process.env.FOOBAR_AGE_IDENTITY;
  else process.env.FOOBAR_AGE_IDENTITY = savedIdentity;
});

test("no recipients file yet: says nobody can decrypt and how to start it", async () => {
  assert.equal(await secrets(file, ["recipients", "-i", "test"]), {
    code: 0,
    out: `${recipientsFile} does not exist yet: nobody can decrypt ${file}. Start it with your own key: \`secrets.ts identity\`, then \`secrets.ts -i test recipients add KEY "Your Name"\`\n`,
    err: "",
  });
});

test("add: the key with its owner, the file encrypted to it; a key added twice is said to be one already", async () => {
  assert.equal(await secrets(file, ["recipients", "add", me, "Me", "Myself", "-i", "test"]), {
    code: 0,
    out: `${me} can now decrypt ${file}; commit ${file} and ${recipientsFile}\n`,
    err: "",
  });
  assert.match(readFileSync(file, "utf8"), /^-----BEGIN AGE ENCRYPTED FILE-----/);
  assert.is((await secrets(file, ["recipients", "add", me, "-i", "test"])).out, `${me} is a recipient already\n`);
  assert.is((await secrets(file, ["set", "app_pw", "--generate", "-i", "test"])).code, 0);
  assert.is((await secrets(file, ["set", "other_pw", "--generate", "-i", "test"])).code, 0);
  assert.is((await secrets(file, ["recipients", "add", other, "Other", "-i", "test"])).code, 0);
  assert.is((await secrets(file, ["recipients", "-i", "test"])).out, `${me} Me Myself\n${other} Other\n`);
  assert.is(
    (await secrets(file, ["list", "-i", "test"])).out.split("\n")[0],
    `secrets of test (${file}, encrypted to 2 recipients):`,
  );
});

test("remove by owner: re-encrypted without them, the values they could read named for rotation, later (no terminal)", async () => {
  const { isTTY } = process.stdin;
  process.stdin.isTTY = false; // no terminal to confirm on, even when the tests run in one
  const removed = await secrets(file, ["recipients", "remove", "Other", "-i", "test"]);
  process.stdin.isTTY = isTTY;
  assert.equal(removed, {
    code: 0,
    out: [
      "Other can no longer decrypt what is written from now on. They could read the values before, and git history keeps the old file: rotate them (app_pw, other_pw).",
      "later: npx tsx playbooks/secrets.ts rotate app_pw other_pw -i test",
      "",
    ].join("\n"),
    err: "",
  });
  assert.is((await secrets(file, ["recipients", "-i", "test"])).out, `${me} Me Myself\n`);
});

test("remove: one who is no recipient, or the last one, refused; an action other than add or remove, or no key", async () => {
  assert.is(
    (await secrets(file, ["recipients", "remove", "Nobody", "-i", "test"])).error,
    `${recipientsFile} has no recipient Nobody`,
  );
  assert.is(
    (await secrets(file, ["recipients", "remove", me, "-i", "test"])).error,
    `removing ${me} would leave ${file} with no one able to read it`,
  );
  for (const words of [["drop", me], ["add"]])
    assert.is(
      (await secrets(file, ["recipients", ...words, "-i", "test"])).error,
      "secrets recipients: `add KEY [OWNER]` or `remove KEY|OWNER`",
    );
});

test.run();
