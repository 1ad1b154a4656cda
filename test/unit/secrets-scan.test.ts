// No secret in clear in the repository, now or in its git history: identities, private keys, clear secrets files, known values.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { tool } from "../../lab/requirements.ts";
import * as assert from "uvu/assert";

const REPO = join(import.meta.dirname, "../..");
const git = (...args: string[]) =>
  execFileSync(tool("git"), args, { cwd: REPO, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
/** Commits (any branch) whose changes add or remove a line matching the extended regular expression. */
const commitsTouching = (pattern: string) =>
  git("log", "--all", "-E", "-G", pattern, "--format=%h %s").trim().split("\n").filter(Boolean);

const PATTERNS = {
  "an age identity": "AGE-SECRET-KEY-1[0-9A-Z]{58}",
  "a private key": "^-----BEGIN [A-Z ]*PRIVATE KEY-----$",
};
/** Files that hold secrets in clear, which git must never track: the lab's and vagrant's generated ones, the old production file. */
const CLEAR_SECRETS_FILE = /(^|\/)(secrets(\.local)?\.json|age-identity\.txt|id_(ed25519|rsa|ecdsa))$/;

test("tracked files hold no age identity and no private key; every secrets/*.age file is age-encrypted", () => {
  const tracked = git("ls-files", "-z").split("\0").filter(Boolean);
  for (const path of tracked) {
    if (!existsSync(join(REPO, path))) continue;
    const text = readFileSync(join(REPO, path), "latin1");
    for (const [what, pattern] of Object.entries(PATTERNS))
      assert.not.ok(new RegExp(pattern, "m").test(text), `${path} holds ${what}`);
    if (/^secrets\/.*\.age$/.test(path))
      assert.ok(text.startsWith("-----BEGIN AGE ENCRYPTED FILE-----"), `${path} is not age-encrypted`);
    assert.not.ok(CLEAR_SECRETS_FILE.test(path), `${path} (secrets in clear) is tracked`);
  }
});

test("git history: no commit ever added an identity, a private key or a clear secrets file", () => {
  for (const [what, pattern] of Object.entries(PATTERNS))
    assert.equal(commitsTouching(pattern), [], `commits with ${what}`);
  const everCommitted = git("log", "--all", "--name-only", "--format=")
    .split("\n")
    .filter((path) => CLEAR_SECRETS_FILE.test(path));
  assert.equal([...new Set(everCommitted)], [], "clear secrets files in history");
});

test("no value of a secret this machine knows (lab, vagrant, FOOBAR_SECRET_*) is in a tracked file or in history", () => {
  const values = new Set<string>();
  for (const file of [".lab/secrets.json", ".vagrant-ssh/secrets.json"]) {
    if (existsSync(join(REPO, file)))
      for (const value of Object.values(JSON.parse(readFileSync(join(REPO, file), "utf8")) as Record<string, string>))
        values.add(value);
  }
  for (const [name, value] of Object.entries(process.env))
    if (name.startsWith("FOOBAR_SECRET_") && value) values.add(value);
  for (const value of values) {
    // Exit status only: a failure message must not print the value it found.
    const inTree = spawnSync(tool("git"), ["grep", "-q", "-F", "-e", value, "--", "."], { cwd: REPO }).status === 0;
    const inHistory = git("log", "--all", "-S", value, "--format=%h").trim() !== "";
    assert.not.ok(
      inTree || inHistory,
      `a secret's value (${value.length} characters) is in ${inTree ? "a tracked file" : "the git history"}`,
    );
  }
});

test.run();
