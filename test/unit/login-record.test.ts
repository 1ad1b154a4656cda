// The record of a run's logins for bin/foobar-infra's next start (lib/cli/login-record.ts): only the fields a login
// uses, written where the launcher asked (its directory made), left alone when unchanged, never failing the run.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { noteLogin, saveLoginRecord } from "../../lib/cli/login-record.ts";
import type { LoginTarget } from "../../lib/connection/logins-ahead.ts";
import { secret } from "../../lib/secret.ts";
import { scratchDir } from "./support/scratch.ts";

const scratch = scratchDir("login-record-");
const RECORD_FILE = Symbol.for("foobar-infra.login-record");

/** Ask for the record in `file`, as bin/foobar-infra does, and save it. */
function saveTo(file: string): void {
  (globalThis as Record<symbol, string>)[RECORD_FILE] = file;
  saveLoginRecord();
}

const options = {
  knownHostsFiles: ["/repo/known_hosts"],
  pinFile: "/repo/known_hosts",
  acceptNewHostKeys: false,
  commandTimeoutMs: 900_000,
};
const noted: LoginTarget = {
  host: {
    name: "record-01",
    address: "10.0.0.21",
    privateAddress: "10.1.0.21",
    ssh: {
      port: 2222,
      user: "debian",
      key: ".lab/ssh/id_ed25519",
      connectTimeoutMs: 5000,
      knownHosts: "known_hosts",
      becomePassword: secret("sudo_pw"),
    },
    become: true,
    groups: ["web"],
    vars: { token: "not for the record" },
  },
  options,
};

/** The targets of a record file, by host name. */
function targetsIn(file: string): Map<string, LoginTarget> {
  const { targets } = JSON.parse(readFileSync(file, "utf8")) as { targets: LoginTarget[] };
  return new Map(targets.map((target) => [target.host.name, target]));
}

test("a noted login keeps the host's name, addresses and login settings and its options; no vars, groups or become", () => {
  noteLogin(noted);
  const file = join(scratch, "new", "dir", "logins.json");
  saveTo(file);
  assert.equal(targetsIn(file).get("record-01"), {
    host: {
      name: "record-01",
      address: "10.0.0.21",
      privateAddress: "10.1.0.21",
      ssh: { port: 2222, user: "debian", key: ".lab/ssh/id_ed25519", connectTimeoutMs: 5000 },
      become: false,
      groups: [],
      vars: {},
    },
    options,
  });
});

test("the same record is left as it is; a changed one replaces it", () => {
  const file = join(scratch, "kept.json");
  saveTo(file);
  const written = statSync(file).ino;
  saveTo(file);
  assert.is(statSync(file).ino, written, "unchanged: not written again");
  noteLogin({ ...noted, host: { ...noted.host, address: "10.0.0.22" } });
  saveTo(file);
  assert.is.not(statSync(file).ino, written);
  assert.is(targetsIn(file).get("record-01")?.host.address, "10.0.0.22");
});

test("a record that cannot be written (its directory is a file) does not fail the run", () => {
  const blocked = join(scratch, "blocked");
  writeFileSync(blocked, "");
  assert.not.throws(() => saveTo(join(blocked, "logins.json")));
});

test("a process that made no login writes no record, though the launcher asked for one", () => {
  // A process of its own: the logins this one's tests noted stay noted.
  const file = join(scratch, "none", "logins.json");
  const module = pathToFileURL(join(import.meta.dirname, "../../lib/cli/login-record.ts")).href;
  const code = `globalThis[Symbol.for("foobar-infra.login-record")] = ${JSON.stringify(file)};
    (await import(${JSON.stringify(module)})).saveLoginRecord();`;
  const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], {
    encoding: "utf8",
  });
  assert.is(child.status, 0, child.stderr);
  assert.not.ok(existsSync(file));
});

test.run();
