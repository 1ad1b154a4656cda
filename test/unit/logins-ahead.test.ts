// Logins started ahead (lib/connection/logins-ahead.ts): what makes two logins the same, and an UnreachableError from
// the launcher's copy of the transport module counting as one in the run's.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { loginKey, type LoginTarget } from "../../lib/connection/logins-ahead.ts";
import { UnreachableError } from "../../lib/connection/transport.ts";

const target: LoginTarget = {
  host: {
    name: "web-01",
    address: "10.0.0.11",
    privateAddress: "10.0.0.11",
    ssh: { port: 22, user: "debian", key: ".lab/ssh/id_ed25519", connectTimeoutMs: 10_000 },
    become: true,
    groups: ["web"],
    vars: { app_port: 3000 },
  },
  options: {
    knownHostsFiles: ["/repo/known_hosts"],
    pinFile: "/repo/known_hosts",
    acceptNewHostKeys: false,
    commandTimeoutMs: 900_000,
    repoRoot: "/repo",
  },
};

test("a login started ahead is taken over only by the same host, address, user, key and options; vars do not count", () => {
  const key = loginKey(target);
  assert.is(loginKey({ ...target, host: { ...target.host, vars: { app_port: 4000 }, groups: [] } }), key);
  const changed: LoginTarget[] = [
    { ...target, host: { ...target.host, name: "web-02" } },
    { ...target, host: { ...target.host, address: "10.0.0.12" } },
    { ...target, host: { ...target.host, ssh: { ...target.host.ssh, user: "root" } } },
    { ...target, host: { ...target.host, ssh: { ...target.host.ssh, port: 2222 } } },
    { ...target, host: { ...target.host, ssh: { ...target.host.ssh, key: "other" } } },
    { ...target, options: { ...target.options, knownHostsFiles: ["/elsewhere"] } },
    { ...target, options: { ...target.options, commandTimeoutMs: 1000 } },
    { ...target, options: { ...target.options, persistSeconds: 60, controlDir: "/run/user/1/foobar" } },
  ];
  for (const other of changed) assert.is.not(loginKey(other), key, JSON.stringify(other));
});

test("an UnreachableError of the other copy of the module (its brand) is one; another error is not", () => {
  const fromOtherCopy = Object.assign(new Error("web-01: connection refused"), {
    [Symbol.for("foobar-infra.unreachable")]: true,
  });
  assert.ok(fromOtherCopy instanceof UnreachableError);
  assert.ok(new UnreachableError("web-01", "refused", "refused") instanceof UnreachableError);
  assert.not.ok(new Error("web-01: refused") instanceof UnreachableError);
  assert.not.ok((null as unknown) instanceof UnreachableError);
});

test.run();
