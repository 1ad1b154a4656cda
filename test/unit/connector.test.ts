// The CLI's SSH connector (lib/cli/connector.ts): the options it logs in with, taking over a login started ahead (and
// connecting anew when that one failed), a `fresh` connector that never takes one over, and the logins it notes.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT, sshConnector } from "../../lib/cli/connector.ts";
import { saveLoginRecord } from "../../lib/cli/login-record.ts";
import { knownHostsFilesFor, PIN_FILE } from "../../lib/connection/known-hosts.ts";
import { type LoginTarget, loginKey, takeLoginAhead } from "../../lib/connection/logins-ahead.ts";
import type { Transport } from "../../lib/connection/transport.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { scratchDir } from "./support/scratch.ts";

const scratch = scratchDir("connector-");
process.env.XDG_RUNTIME_DIR = join(scratch, "runtime");

/** A host whose key file does not exist: connecting to it for real fails at once, before any network. */
function hostNamed(name: string): Host {
  return {
    name,
    address: "127.0.0.1",
    privateAddress: "127.0.0.1",
    ssh: {
      port: 22,
      user: "debian",
      key: "test/unit/no-such-key",
      knownHosts: join(scratch, "known_hosts"),
      connectTimeoutMs: 2000,
    },
    become: false,
    groups: [],
    vars: {},
  };
}

/** The target the connector must log in as: strict or not, the command timeout in ms, the checkout's files. */
function expectedTarget(host: Host, persistSeconds?: number): LoginTarget {
  const options = {
    knownHostsFiles: knownHostsFilesFor(host, REPO_ROOT),
    pinFile: join(REPO_ROOT, PIN_FILE),
    acceptNewHostKeys: false,
    commandTimeoutMs: 45_000,
    repoRoot: REPO_ROOT,
  };
  if (persistSeconds === undefined) return { host, options };
  return { host, options: { ...options, persistSeconds, controlDir: join(scratch, "runtime", "foobar-infra", "ssh") } };
}

/** Put a login in the registry bin/foobar-infra's start fills, as if started ahead for `target`. */
function startedAhead(target: LoginTarget, login: Promise<Transport>): void {
  const global = globalThis as Record<symbol, Map<string, unknown> | undefined>;
  const key = Symbol.for("foobar-infra.logins-ahead");
  global[key] ??= new Map();
  global[key].set(loginKey(target), { login, abandon: new AbortController() });
}

function fakeLogin(host: string): Transport {
  return { host, exec: async () => ({ code: 0, stdout: "", stderr: "" }), close: async () => undefined };
}

/** What a connect promise ended with: the transport, or the error's message. */
async function outcome(login: Promise<Transport>): Promise<Transport | string> {
  try {
    const transport = await login;
    await transport.close();
    return transport;
  } catch (error) {
    return (error as Error).message;
  }
}

const options = { acceptNewHostKeys: false, timeoutSeconds: 45 };

test("a run's connector takes over the login started ahead for the same host, options and command timeout", async () => {
  const host = hostNamed("ahead-01");
  const login = fakeLogin(host.name);
  startedAhead(expectedTarget(host), Promise.resolve(login));
  assert.is(await outcome(sshConnector(options)(host)), login);
});

test("with --persist the login ahead taken over is the OpenSSH one, its sockets under XDG_RUNTIME_DIR", async () => {
  const host = hostNamed("persist-01");
  const login = fakeLogin(host.name);
  startedAhead(expectedTarget(host, 60), Promise.resolve(login));
  assert.is(await outcome(sshConnector({ ...options, persistSeconds: 60 })(host)), login);
});

test("a login ahead that failed is tried again now: the error is the new login's, not the old one's", async () => {
  const host = hostNamed("retried-01");
  startedAhead(expectedTarget(host), Promise.reject(new Error("host still starting")));
  assert.match(String(await outcome(sshConnector(options)(host))), /cannot read private key/);
});

test("without a login ahead the run's connector logs in itself", async () => {
  assert.match(String(await outcome(sshConnector(options)(hostNamed("none-01")))), /cannot read private key/);
});

test("a fresh connector logs in anew and leaves the login ahead to the run", async () => {
  const host = hostNamed("fresh-01");
  const login = fakeLogin(host.name);
  startedAhead(expectedTarget(host), Promise.resolve(login));
  assert.match(String(await outcome(sshConnector(options, "fresh")(host))), /cannot read private key/);
  assert.is(await takeLoginAhead(expectedTarget(host)), login);
});

test("the logins a run's connector made are recorded for the next start; a fresh connector's are not", async () => {
  const record = join(scratch, "logins.json");
  (globalThis as Record<symbol, string>)[Symbol.for("foobar-infra.login-record")] = record;
  await outcome(sshConnector(options)(hostNamed("noted-01")));
  await outcome(sshConnector(options, "fresh")(hostNamed("unnoted-01")));
  saveLoginRecord();
  const { targets } = JSON.parse(readFileSync(record, "utf8")) as { targets: LoginTarget[] };
  const names = targets.map((target) => target.host.name);
  assert.ok(names.includes("noted-01"), names.join());
  assert.not.ok(names.includes("unnoted-01"), names.join());
});

test.run();
