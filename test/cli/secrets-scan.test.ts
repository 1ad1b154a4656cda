// No secret in clear in the repository, now or in its git history: identities, private keys, clear secrets files, known
// values; and a secret seeded here, which the CLI's outputs must mask, so the scan has a value to check in every tier.
import { execFileSync, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { tool } from "../../lab/requirements.ts";
import * as assert from "uvu/assert";
import { withDecodedBase64 } from "../unit/support/base64-runs.ts";
import { scratchDir } from "../unit/support/scratch.ts";
import type { SecretCliRun } from "./support/secret-cli.ts";

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

/** Made up for this run: in no file and no commit, and (FOOBAR_SECRET_SCAN_SEED) the secret scan_seed of the CLI runs below. */
const SEED = `seed-${randomBytes(12).toString("base64url")}`;

/** The CLI paths that must mask a secret, each a run of test/cli/support/secret-cli.ts (one process), and its exit code. */
const CLI_RUNS: { what: string; run: SecretCliRun; code: number }[] = [
  {
    what: "--json -vv (a changed key, a failed step, scripts)",
    run: { argv: ["-i", "test", "--json", "-vv"] },
    code: 1,
  },
  {
    what: "-vv --diff (a changed key, a failed step, scripts)",
    run: { argv: ["-i", "test", "-vv", "--diff"] },
    code: 1,
  },
  { what: "a role error (the CLI's error line)", run: { argv: ["-i", "test"], roleError: true }, code: 4 },
];

/** Every file of the run history the CLI runs wrote, each as path and text. */
const historyFiles = (dir: string) =>
  readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => ({
      path: join(entry.parentPath, entry.name),
      text: readFileSync(join(entry.parentPath, entry.name), "utf8"),
    }));

test("the seeded secret reaches the fake host on every CLI path, and nothing the CLI prints or records in its run history holds it (******** instead)", () => {
  const history = scratchDir("secrets-scan-history-");
  const result = spawnSync(process.execPath, ["--import", "tsx", join(REPO, "test/cli/support/secret-cli.ts")], {
    cwd: REPO,
    encoding: "utf8",
    env: {
      ...process.env,
      FOOBAR_SECRET_SCAN_SEED: SEED,
      FOOBAR_RUN_HISTORY_DIR: history,
      SECRET_CLI_RUNS: JSON.stringify(CLI_RUNS.map((item) => item.run)),
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  const records = historyFiles(history);
  assert.is(records.length, 2, "the two runs that reached the host are recorded (the role error ran nothing)");
  for (const record of records) {
    assert.not.ok(withDecodedBase64(record.text).includes(SEED), `the seeded secret is in ${record.path}`);
    assert.match(record.text, /"message":"boom: \*{8}"/, `${record.path}: the failed step's output, masked`);
  }
  const printed = `${result.stdout}\n${result.stderr}`;
  // The value itself is never put in a message: its length says enough.
  assert.not.ok(
    withDecodedBase64(printed).includes(SEED),
    `the seeded secret (${SEED.length} characters) is in what the CLI printed`,
  );
  assert.is(result.status, 0, result.stderr.slice(-2000));
  const outcomes = [...result.stderr.matchAll(/^run (\d+): exit (\d+), execs carrying the secret: (\d+)$/gm)];
  assert.equal(
    outcomes.map((match) => `${CLI_RUNS[Number(match[1])]?.what}: exit ${match[2]}`),
    CLI_RUNS.map(({ what, code }) => `${what}: exit ${code}`),
    "each run's exit code",
  );
  for (const [index, { what, run }] of CLI_RUNS.entries())
    if (!run.roleError) assert.ok(Number(outcomes[index]![3]) > 0, `${what}: the secret reached the host`);
  assert.match(result.stdout, /"message":"boom: \*{8}"/, "--json: the failed step's output, masked");
  assert.match(result.stdout, /FAILED +h1 +kv:check: boom: \*{8}/, "-vv: the failed step's output, masked");
  assert.match(result.stdout, /^ +set seed \*{8}$/m, "-vv: the script shown, masked");
  assert.match(result.stderr, /^error: host h1, play "p", role scan: cannot use \*{8}$/m, "the error line, masked");
});

/** Where `value` is in the repository: a tracked file, the git history, or undefined (exit status only, never printed). */
function whereFound(value: string): string | undefined {
  if (spawnSync(tool("git"), ["grep", "-q", "-F", "-e", value, "--", "."], { cwd: REPO }).status === 0)
    return "a tracked file";
  if (git("log", "--all", "-S", value, "--format=%h").trim() !== "") return "the git history";
  return undefined;
}

test("the value scan finds a value that is in a tracked file (this file's first line), and not the seeded value", () => {
  const firstLine = readFileSync(join(REPO, "test/cli/secrets-scan.test.ts"), "utf8").split("\n")[0]!;
  assert.is(whereFound(firstLine), "a tracked file");
  assert.is(whereFound(SEED), undefined);
});

test("no value of a secret this machine knows (the seeded one, lab, vagrant, FOOBAR_SECRET_*) is in a tracked file or in history", () => {
  const values = new Set<string>([SEED]);
  for (const file of [".lab/secrets.json", ".vagrant-ssh/secrets.json"]) {
    if (existsSync(join(REPO, file)))
      for (const value of Object.values(JSON.parse(readFileSync(join(REPO, file), "utf8")) as Record<string, string>))
        values.add(value);
  }
  for (const [name, value] of Object.entries(process.env))
    if (name.startsWith("FOOBAR_SECRET_") && value) values.add(value);
  assert.ok(values.size > 0, "no secret value to check: the scan would pass without looking");
  for (const value of values) {
    // Exit status only: a failure message must not print the value it found.
    const found = whereFound(value);
    assert.is(found, undefined, `a secret's value (${value.length} characters) is in ${found}`);
  }
});

test.run();
