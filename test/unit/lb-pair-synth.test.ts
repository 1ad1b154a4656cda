// The load-balancer pair synthesised for the lab: keepalived's VRRP instances, HAProxy's ACME routing and push key, the derived SSH key.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { PLACEHOLDER_HOST_KEY } from "../../lib/docs/synthesis.ts";
import { InputError } from "../../lib/errors.ts";
import { Secret } from "../../lib/secret.ts";
import { sshKeyFromSecret } from "../../lib/secrets/ssh-key.ts";
import haproxy from "../../roles/haproxy/index.ts";
import keepalived from "../../roles/keepalived/index.ts";
import { address, inventory, synth, written } from "./support/synth.ts";
import { tool } from "../../lab/requirements.ts";
import { scratchDir } from "./support/scratch.ts";

const VIP = (inventory.vars.keepalived as { vip: string }).vip;
const SECOND_VIP = VIP.replace(/\.\d+$/, ".101");
const config = (host: string, vars: Record<string, unknown> = {}) =>
  written(
    synth({ name: "vip", hosts: "lb", roles: [{ role: keepalived, vars }] }, host),
    "template:/etc/keepalived/keepalived.conf",
  );
const instance = (text: string, name: string) =>
  new RegExp(`vrrp_instance ${name} \\{[\\s\\S]*?\\n\\}`).exec(text)?.[0] ?? "";

test("keepalived active-passive: one VIP, priorities by inventory order, nopreempt, the home host checks without delay", () => {
  const first = config("lb-01");
  const second = config("lb-02");
  assert.match(instance(first, "VI_1"), /priority 150/);
  assert.match(instance(second, "VI_1"), /priority 140/);
  for (const text of [first, second]) {
    assert.match(text, new RegExp(`${VIP.replace(/\./g, "\\.")}/24 dev eth0`));
    assert.match(text, /state BACKUP[\s\S]*nopreempt/);
    assert.match(text, /auth_type PASS\n\s+auth_pass \S{8}\n/);
    assert.match(
      text,
      /script "\/usr\/local\/sbin\/foobar-lb-check http:\/\/127\.0\.0\.1:80\/\.well-known\/foobar-lb-alive"/,
    );
    assert.not.match(text, /unicast_peer/, "multicast by default");
    assert.not.match(text, /VI_2/);
  }
  assert.match(instance(first, "VI_1"), /track_script \{\n\s+haproxy_serving\n/);
  assert.match(
    instance(second, "VI_1"),
    /track_script \{\n\s+haproxy_serving_settled\n/,
    "the backup waits before taking a VIP after its own start",
  );
  assert.match(
    second,
    /vrrp_script haproxy_serving_settled \{\n\s+script "\/usr\/local\/sbin\/foobar-lb-check \S+ 10"/,
  );
});

test("keepalived active-active: two VIPs, each LB the home of one; unicast peers from the inventory", () => {
  const vars = { mode: "active-active", second_vip: SECOND_VIP, transport: "unicast" };
  const first = config("lb-01", vars);
  const second = config("lb-02", vars);
  assert.match(instance(first, "VI_1"), /virtual_router_id 51\n\s+priority 150/);
  assert.match(instance(first, "VI_2"), /virtual_router_id 52\n\s+priority 140/);
  assert.match(instance(second, "VI_2"), /priority 150[\s\S]*haproxy_serving\n/);
  assert.match(instance(second, "VI_1"), /priority 140/);
  assert.match(
    first,
    new RegExp(
      `unicast_src_ip ${address("lb-01").replace(/\./g, "\\.")}\\n\\s+unicast_peer \\{\\n\\s+${address("lb-02").replace(/\./g, "\\.")}\\n`,
    ),
  );
});

test("keepalived: bad vars are errors naming host and role before anything runs", () => {
  assert.throws(
    () => config("lb-01", { mode: "active-active" }),
    (error: unknown) => error instanceof InputError && /host lb-01, role keepalived: .*second_vip/.test(error.message),
  );
  assert.throws(
    () => config("lb-01", { vip: "192.168.56" }),
    (error: unknown) => error instanceof InputError && /\/vip/.test(error.message),
  );
  assert.throws(
    () => synth({ name: "vip", hosts: "web", roles: [keepalived] }, "web-01"),
    /web-01 is not in group "lb"/,
  );
});

test("haproxy on the second LB: ACME challenges go to the leader's HAProxy; the leader's push key may only run the installer", () => {
  const follower = synth({ name: "lb", hosts: "lb", roles: [haproxy] }, "lb-02");
  assert.match(
    written(follower, "template:/etc/haproxy/haproxy.cfg"),
    new RegExp(`server certbot ${address("lb-01").replace(/\./g, "\\.")}:80\\n`),
  );
  assert.match(
    written(follower, "line:/root/.ssh/authorized_keys: foobar-cert-sync$"),
    new RegExp(
      `^restrict,from="${address("lb-01").replace(/\./g, "\\.")}",command="/usr/local/sbin/foobar-install-pem" ssh-ed25519 \\S+ foobar-cert-sync\n$`,
    ),
  );
  assert.is(
    written(follower, "file:/etc/haproxy/foobar-sync/known_hosts"),
    `${address("lb-01")} ${PLACEHOLDER_HOST_KEY}\n`,
    "lb-01's key as the runner pinned it, under its private address",
  );
  const leader = synth({ name: "lb", hosts: "lb", roles: [haproxy] }, "lb-01");
  assert.match(written(leader, "template:/etc/haproxy/haproxy.cfg"), /server certbot 127\.0\.0\.1:8888\n/);
  assert.match(written(leader, "template:/etc/haproxy/haproxy.cfg"), /monitor-uri \/\.well-known\/foobar-lb-alive/);
});

test("the push key derived from a secret is a valid OpenSSH key, the same on every run", () => {
  const pair = sshKeyFromSecret(new Secret("s", "correct horse battery"), "foobar-cert-sync");
  assert.equal(
    sshKeyFromSecret(new Secret("s", "correct horse battery"), "foobar-cert-sync").publicKey,
    pair.publicKey,
  );
  assert.is.not(
    sshKeyFromSecret(new Secret("s", "another secret value"), "foobar-cert-sync").publicKey,
    pair.publicKey,
  );
  assert.is(String(pair.privateKey), "********", "the private key prints masked");
  const file = join(scratchDir("key-"), "id_ed25519");
  writeFileSync(file, pair.privateKey.reveal(), { mode: 0o600 });
  const derived = spawnSync(tool("ssh-keygen"), ["-y", "-f", file], { encoding: "utf8" });
  assert.is(derived.status, 0, derived.stderr);
  assert.is(derived.stdout.trim(), pair.publicKey);
});

test.run();
