// Becoming root: sudo -n, or sudo -A fed the become_password from stdin (never on a command line); inventory precedence.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { becomeExec, sudoRefusal } from "../../lib/connection/become.ts";
import { localTransport } from "../../lib/connection/local.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { InputError } from "../../lib/errors.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { resolveBecomePasswords } from "../../lib/secrets/become.ts";
import { Secret, secret, type SecretRef } from "../../lib/secret.ts";
import type { FakeLog } from "../../lib/testing/fake-transport.ts";
import { connectorFor, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const PASSWORD = `s3cret pass'word "with" $HOME`;
const ssh = (becomePassword?: Secret | SecretRef) => ({
  user: "ops",
  port: 22,
  connectTimeoutMs: 1000,
  becomePassword,
});

test("root logs in as itself, a passwordless user through sudo -n, a user whose sudo asks through sudo -A with the password on stdin", () => {
  const plain = ({ command, stdinPrefix }: { command: string; stdinPrefix: string }) => ({ command, stdinPrefix });
  assert.equal(plain(becomeExec({ name: "a", become: false, ssh: ssh() })), { command: "sh -s", stdinPrefix: "" });
  assert.equal(plain(becomeExec({ name: "a", become: true, ssh: ssh() })), {
    command: "sudo -n sh -s",
    stdinPrefix: "",
  });
  assert.match(
    becomeExec({ name: "a", become: true, ssh: ssh() }).refusal("sudo: a password is required")!,
    /^sudo on a asks for a password/,
  );
  const asking = becomeExec({ name: "a", become: true, ssh: ssh(new Secret("become", PASSWORD)) });
  assert.is(asking.stdinPrefix, `${PASSWORD}\n`);
  assert.match(asking.command, /SUDO_ASKPASS="\$helper" sudo -A -p "" sh -s'$/);
  assert.not.ok(asking.command.includes("s3cret"), "the password is never on the command line");
  assert.throws(
    () => becomeExec({ name: "a", become: true, ssh: ssh(secret("become")) }),
    /a: become_password secret\("become"\) was not resolved/,
  );
});

test("the askpass wrapper hands sudo the password and the script arrives whole (a stand-in sudo that checks it)", async () => {
  const bin = mkdtempSync(join(tmpdir(), "fake-sudo-"));
  // Like `sudo -A -p "" sh -s`: ask the helper, compare, then run the command on the same stdin.
  writeFileSync(
    join(bin, "sudo"),
    `#!/bin/sh\n[ "$1" = -A ] || exit 90\n[ "$("$SUDO_ASKPASS")" = "$EXPECTED" ] || { echo "sudo: wrong password" >&2; exit 1; }\nshift 3\nexec "$@"\n`,
  );
  chmodSync(join(bin, "sudo"), 0o755);
  const saved = { path: process.env.PATH, expected: process.env.EXPECTED };
  process.env.PATH = `${bin}:${process.env.PATH}`;
  try {
    const transport = localTransport();
    const runWithPassword = (password: string) => {
      const login = becomeExec({ name: "local", become: true, ssh: ssh(new Secret("become", password)) });
      return transport.exec(login.command, {
        stdin: `${login.stdinPrefix}echo "script ran"\nread -r line || echo "nothing left on stdin"\n`,
        timeoutMs: 10_000,
      });
    };
    process.env.EXPECTED = PASSWORD;
    const right = await runWithPassword(PASSWORD);
    assert.is(right.code, 0, right.stderr);
    assert.is(right.stdout, "script ran\nnothing left on stdin\n");
    const wrong = await runWithPassword("not-the-password");
    assert.is(wrong.code, 1);
    assert.is(
      sudoRefusal(
        { name: "local", ssh: ssh(new Secret("become", PASSWORD)) },
        "sudo: 1 incorrect password attempt\nsudo: a password is required",
      ),
      "sudo on local refused the become_password (user ops): check the secret's value",
    );
    assert.match(
      sudoRefusal({ name: "db-1", ssh: ssh() }, "sudo: a password is required")!,
      /^sudo on db-1 asks for a password \(user ops\): set ssh\.becomePassword: secret\("\.\.\."\) for it in hosts\.ts \(become_password, host or group\)/,
    );
    assert.is(sudoRefusal({ name: "db-1", ssh: ssh() }, "Permission denied"), undefined);
  } finally {
    process.env.PATH = saved.path;
    if (saved.expected === undefined) delete process.env.EXPECTED;
    else process.env.EXPECTED = saved.expected;
    rmSync(bin, { recursive: true, force: true });
  }
});

test("become_password per host, else the host's first group that sets one, else the environment; resolved before any connection", () => {
  const spec = defineInventory({
    environments: {
      prod: {
        ssh: { user: "ops", becomePassword: secret("env_pw") },
        hosts: {
          "a-1": { address: "10.0.0.1", ssh: { becomePassword: secret("host_pw") } },
          "b-1": { address: "10.0.0.2" },
          "c-1": { address: "10.0.0.3" },
        },
        groups: {
          a: { hosts: ["a-1"] },
          b: { hosts: ["b-1"], ssh: { becomePassword: secret("group_pw") } },
          c: { hosts: ["c-1"] },
        },
      },
    },
  });
  const loaded = loadInventory(spec, "prod");
  assert.equal(
    loaded.hosts.map((host) => (host.ssh.becomePassword as SecretRef).name),
    ["host_pw", "group_pw", "env_pw"],
  );
  const store = {
    lookup: (name: string) => (name === "env_pw" ? undefined : new Secret(name, `${name}-value`)),
    howToSet: (name: string) => `set FOOBAR_SECRET_${name.toUpperCase()}`,
  };
  const error = (() => {
    try {
      resolveBecomePasswords(loaded.hosts, store);
    } catch (caught) {
      return caught;
    }
  })();
  assert.ok(error instanceof InputError);
  assert.match(
    (error as Error).message,
    /host c-1: missing secret "env_pw" \(its become_password\): set FOOBAR_SECRET_ENV_PW/,
  );
  assert.ok(loaded.hosts[0]!.ssh.becomePassword instanceof Secret, "the others are resolved");
});

test("a run whose host's become_password secret is nowhere stops with an InputError naming it: 0 connects, 0 execs", async () => {
  // h1's sudo asks for a password whose secret neither FOOBAR_SECRET_ nor secrets/test.age (absent) has; h2 needs none.
  const spec = defineInventory({
    environments: {
      test: {
        ssh: { user: "ops" },
        hosts: {
          h1: { address: "10.9.0.1", ssh: { becomePassword: secret("become_absent_37") } },
          h2: { address: "10.9.0.2" },
        },
        groups: { all_fake: { hosts: ["h1", "h2"] } },
      },
    },
  });
  const role = defineRole({
    name: "one_key",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("k", "v")],
  });
  const log: FakeLog = { execs: [], connects: [] };
  const hosts = newHosts(["h1", "h2"]);
  delete process.env.FOOBAR_SECRET_BECOME_ABSENT_37;
  const error = await runFake(
    definePlaybook("become", [{ name: "p", hosts: "all_fake", roles: [role] }]),
    spec,
    hosts,
    {
      connect: connectorFor(hosts, log),
    },
  ).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  assert.ok(error instanceof InputError, `an InputError, not ${String(error)}`);
  assert.match((error as Error).message, /host h1: missing secret "become_absent_37" \(its become_password\)/);
  assert.equal(log.connects, [], "no host was connected to");
  assert.equal(log.execs, [], "nothing ran on any host");
});

test.run();
