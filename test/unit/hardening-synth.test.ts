// Synth of the hardening roles for the lab inventory: firewall rules per tier, schema errors, ufw planning, TLS config.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import { deleteCommand, parseUfw, type UfwState } from "../../lib/resources/ufw.ts";
import { ruleSignature, sameRules } from "../../lib/resources/ufw-loaded.ts";
import certbot from "../../roles/certbot/index.ts";
import haproxy from "../../roles/haproxy/index.ts";
import sshHardening from "../../roles/ssh_hardening/index.ts";
import ufw from "../../roles/ufw/index.ts";
import { verifiedSshdDropIn } from "../../roles/ssh_hardening/verified-drop-in.ts";
import { address, find, synth, written } from "./support/synth.ts";
import { probeScript } from "../../lib/facts/probe-kinds.ts";

const fresh: UfwState = {
  installed: true,
  enabled: false,
  inputPolicy: "DROP",
  outputPolicy: "ACCEPT",
  tuples: [],
  storedRules: [],
  loadedRules: [],
};
/** The ufw commands a fresh host gets: SSH first, enable last. */
function firewallScript(hostName: string, vars: Record<string, unknown> = {}): string[] {
  const resource = find(synth({ name: "fw", hosts: "all", roles: [{ role: ufw, vars }] }, hostName), "ufw:firewall");
  return resource
    .apply(fresh)
    .split("\n")
    .filter((line) => line.startsWith("ufw "));
}

test("ufw: rules per tier come from the inventory groups, SSH first, enabled last", () => {
  assert.equal(firewallScript("lb-01"), [
    "ufw allow proto tcp from any to any port 22",
    "ufw allow proto tcp from any to any port 80",
    "ufw allow proto tcp from any to any port 443",
    `ufw allow proto vrrp from ${address("lb-02")} to any`,
    `ufw allow proto tcp from ${address("mon-01")} to any port 9100`,
    `ufw allow proto tcp from ${address("mon-01")} to any port 8404`,
    "ufw --force enable",
  ]);
  assert.equal(firewallScript("web-02").slice(0, 2), [
    "ufw allow proto tcp from any to any port 22",
    `ufw allow proto tcp from ${address("lb-01")} to any port 80`,
  ]);
  const exporters = [9100, 9104].map((port) => `ufw allow proto tcp from ${address("mon-01")} to any port ${port}`);
  assert.equal(firewallScript("db-01").slice(1, -1), [
    ...["web-01", "web-02", "db-02"].map((peer) => `ufw allow proto tcp from ${address(peer)} to any port 3306`),
    ...exporters,
  ]);
  assert.equal(
    firewallScript("db-02").slice(1, -1),
    [...["web-01", "web-02"].map((peer) => `ufw allow proto tcp from ${address(peer)} to any port 3306`), ...exporters],
    "the replica does not open to itself",
  );
  assert.equal(
    firewallScript("mon-01"),
    ["ufw allow proto tcp from any to any port 22", "ufw --force enable"],
    "the monitoring host opens nothing but SSH",
  );
});

test("ufw: ssh_allow_from and extra_rules, CIDRs written as ufw stores them", () => {
  const lines = firewallScript("web-01", {
    ssh_allow_from: ["10.1.2.3/24", "192.0.2.7/32"],
    extra_rules: [{ port: "6000:6007", proto: "udp", from: "any" }],
  });
  assert.equal(lines.slice(0, 2), [
    "ufw allow proto tcp from 10.1.2.0/24 to any port 22",
    "ufw allow proto tcp from 192.0.2.7 to any port 22",
  ]);
  assert.ok(lines.includes("ufw allow proto udp from any to any port 6000:6007"));
});

test("ufw: bad extra_rules are schema errors naming host, role and path", () => {
  for (const [rule, path] of [
    [{ port: "70000", proto: "tcp", from: "any" }, "/extra_rules/0/port"],
    [{ port: "80", proto: "icmp", from: "any" }, "/extra_rules/0/proto"],
    [{ port: "80", proto: "tcp", from: "10.0.0.0/33" }, "/extra_rules/0/from"],
    [{ port: "80-90", proto: "tcp", from: "any" }, "/extra_rules/0/port"],
  ] as const) {
    assert.throws(
      () => synth({ name: "fw", hosts: "all", roles: [{ role: ufw, vars: { extra_rules: [rule] } }] }, "web-01"),
      (error: unknown) => error instanceof InputError && error.message.includes(`host web-01, role ufw: ${path}`),
      JSON.stringify(rule),
    );
  }
});

test("ufw: a converged firewall plans nothing; a stray rule is deleted, a disabled one enabled; rollback restores", () => {
  const resource = find(synth({ name: "fw", hosts: "all", roles: [ufw] }, "web-01"), "ufw:firewall");
  const probe = [
    "installed=yes",
    "chains=loaded",
    "/etc/ufw/ufw.conf:ENABLED=yes",
    '/etc/default/ufw:DEFAULT_INPUT_POLICY="DROP"',
    '/etc/default/ufw:DEFAULT_OUTPUT_POLICY="ACCEPT"',
    "/etc/ufw/user.rules:### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in",
    `/etc/ufw/user.rules:### tuple ### allow tcp 80 0.0.0.0/0 any ${address("lb-01")} in`,
    `/etc/ufw/user.rules:### tuple ### allow tcp 80 0.0.0.0/0 any ${address("lb-02")} in`,
    `/etc/ufw/user.rules:### tuple ### allow tcp 9100 0.0.0.0/0 any ${address("mon-01")} in`,
    `/etc/ufw/user.rules:### tuple ### allow tcp 9113 0.0.0.0/0 any ${address("mon-01")} in`,
    "/etc/ufw/user6.rules:### tuple ### allow tcp 22 ::/0 any ::/0 in",
  ].join("\n");
  assert.equal(resource.plan(parseUfw("ufw", probe), { diff: false }), []);
  assert.not.ok(
    parseUfw("ufw", probe.replace("chains=loaded", "chains=absent")).enabled,
    "ENABLED=yes without ufw's chains loaded is not enabled",
  );
  const drifted = parseUfw(
    "ufw",
    probe.replace("ENABLED=yes", "ENABLED=no") +
      "\n/etc/ufw/user.rules:### tuple ### allow tcp 8080 0.0.0.0/0 any 0.0.0.0/0 in\n/etc/ufw/user.rules:### tuple ### allow any 22 0.0.0.0/0 any 0.0.0.0/0 OpenSSH - in",
  );
  assert.equal(
    resource.plan(drifted, { diff: false }).map((change) => change.summary),
    ["delete allow tcp 8080 from any", "delete allow any OpenSSH from any", "enable"],
  );
  assert.is(deleteCommand(drifted.tuples[6]!), "ufw delete allow in proto tcp from any to any port 8080");
  assert.is(deleteCommand(drifted.tuples[7]!), "ufw delete allow in from any to any app OpenSSH");
  assert.match(
    resource.rollback!(drifted),
    /cp -p \/var\/lib\/foobar-infra\/ufw-rollback\/user\.rules \/etc\/ufw\/user\.rules[\s\S]*ufw --force disable$/,
  );
  assert.match(resource.rollback!(parseUfw("ufw", probe)), /ufw reload$/);
});

test("ufw: the kernel's rules compared with the stored ones, however iptables prints them; a rule deleted by hand is reloaded", () => {
  const resource = find(synth({ name: "fw", hosts: "all", roles: [ufw] }, "mon-01"), "ufw:firewall");
  const probe = (loaded: string[]) =>
    parseUfw(
      "ufw",
      [
        "installed=yes",
        "chains=loaded",
        ...loaded.map((line) => `loaded: ${line}`),
        "/etc/ufw/ufw.conf:ENABLED=yes",
        '/etc/default/ufw:DEFAULT_INPUT_POLICY="DROP"',
        '/etc/default/ufw:DEFAULT_OUTPUT_POLICY="ACCEPT"',
        "/etc/ufw/user.rules:### tuple ### allow tcp 22 0.0.0.0/0 any 0.0.0.0/0 in",
        "/etc/ufw/user.rules:-A ufw-user-input -p tcp --dport 22 -j ACCEPT",
        "/etc/ufw/user.rules:-A ufw-user-input -p tcp --dport 9100 -s 192.0.2.30 -j ACCEPT",
        "/etc/ufw/user6.rules:-A ufw6-user-input -p tcp --dport 22 -j ACCEPT",
      ].join("\n"),
    );
  assert.equal(
    ruleSignature("-A ufw-user-input -s 192.0.2.30/32 -p tcp -m tcp --dport 9100 -j ACCEPT"),
    ruleSignature("-A ufw-user-input -p tcp --dport 9100 -s 192.0.2.30 -j ACCEPT"),
  );
  assert.is(
    ruleSignature("-A ufw-user-input -p tcp --dport 22 -j ACCEPT -m comment --comment 'dapp_OpenSSH'"),
    ruleSignature("-A ufw-user-input -p tcp -m tcp --dport 22 -m comment --comment dapp_OpenSSH -j ACCEPT"),
    "a comment quoted in user.rules, bare in iptables -S",
  );
  assert.is(
    ruleSignature("-A ufw-user-input -s 192.0.2.9/32 -p 112 -j ACCEPT"),
    ruleSignature("-A ufw-user-input -p vrrp -s 192.0.2.9 -j ACCEPT"),
    "a protocol named in user.rules, numbered by iptables 1.8.11 (Debian 13)",
  );
  assert.is.not(
    ruleSignature("-A ufw-user-input -s 192.0.2.9/32 -p 112 -j ACCEPT"),
    ruleSignature("-A ufw-user-input -p udp -s 192.0.2.9 -j ACCEPT"),
  );
  assert.is.not(
    ruleSignature("-A ufw-user-input -p tcp -m tcp --dport 9100 -j ACCEPT"),
    ruleSignature("-A ufw-user-input -p tcp --dport 9100 -s 192.0.2.30 -j ACCEPT"),
    "from anywhere is not from one host",
  );
  const loaded = [
    "-A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT",
    "-A ufw-user-input -s 192.0.2.30/32 -p tcp -m tcp --dport 9100 -j ACCEPT",
  ];
  assert.equal(
    resource.plan(probe(loaded), { diff: false }),
    [],
    "the IPv4 chain as stored (user6.rules is not compared)",
  );
  const deletedByHand = probe(loaded.slice(0, 1));
  assert.equal(
    resource.plan(deletedByHand, { diff: false }).map((change) => change.summary),
    ["reload: the kernel holds 1 rules, not the 2 ufw stored"],
  );
  assert.match(resource.apply(deletedByHand), /\nufw reload$/);
  assert.ok(sameRules([...loaded].reverse(), loaded), "order does not matter");
});

test("ufw: VRRP between the load balancers is a portless rule, planned and deleted like the others", () => {
  const resource = find(synth({ name: "fw", hosts: "all", roles: [ufw] }, "lb-02"), "ufw:firewall");
  const stored = `/etc/ufw/user.rules:### tuple ### allow vrrp any 0.0.0.0/0 any ${address("lb-01")} in`;
  const state = parseUfw(
    "ufw",
    [
      "installed=yes",
      "chains=loaded",
      "/etc/ufw/ufw.conf:ENABLED=yes",
      '/etc/default/ufw:DEFAULT_INPUT_POLICY="DROP"',
      '/etc/default/ufw:DEFAULT_OUTPUT_POLICY="ACCEPT"',
      stored,
    ].join("\n"),
  );
  assert.not.ok(
    resource.plan(state, { diff: false }).some((change) => /vrrp/.test(change.summary)),
    "the stored VRRP rule is the wanted one",
  );
  assert.ok(
    resource.apply({ ...state, tuples: [] }).includes(`ufw allow proto vrrp from ${address("lb-01")} to any\n`),
  );
  assert.is(deleteCommand(state.tuples[0]!), `ufw delete allow in proto vrrp from ${address("lb-01")} to any`);
});

test("haproxy: HTTPS with Mozilla intermediate, alpn h2, HSTS; HTTP redirects except the ACME path", () => {
  const resources = synth({ name: "lb", hosts: "lb", roles: [haproxy] }, "lb-01");
  const config = written(resources, "template:/etc/haproxy/haproxy.cfg");
  assert.match(config, /bind :443 ssl crt \/etc\/haproxy\/certs\/foobar\.pem alpn h2,http\/1\.1/);
  assert.match(config, /ssl-default-bind-options ssl-min-ver TLSv1\.2 no-tls-tickets/);
  assert.match(config, /ssl-default-bind-ciphers (ECDHE-(ECDSA|RSA)-[A-Z0-9-]*(GCM|POLY1305)[A-Z0-9-]*:?)+\n/);
  assert.match(config, /http-request redirect scheme https code 301 unless acme_challenge/);
  assert.match(config, /acl acme_challenge path_beg \/\.well-known\/acme-challenge\//);
  assert.match(config, /server certbot 127\.0\.0\.1:8888/);
  assert.match(config, /Strict-Transport-Security "max-age=63072000"/);
  const ids = resources.map((item) => item.id);
  assert.ok(
    ids.indexOf("command:placeholder TLS certificate") < ids.indexOf("template:/etc/haproxy/haproxy.cfg"),
    "a PEM exists before haproxy -c sees the config",
  );
});

test("certbot: lab vars point at Pebble, obtaining is guarded by the live certificate, timer enabled", () => {
  // The lab's .lab/pebble-api.pem exists only while the lab is up: a fixture stands in for it.
  const resources = synth(
    {
      name: "certs",
      hosts: "lb",
      roles: [{ role: certbot, vars: { acme_ca_bundle: "test/unit/fixtures/acme-ca.pem" } }],
    },
    "lb-01",
  );
  const obtain = find(resources, "command:obtain certificate");
  assert.match(
    probeScript(obtain.probe({ diff: false })),
    /\[ ! -e \/etc\/letsencrypt\/live\/foobar\.com\/fullchain\.pem \]/,
  );
  const script = obtain.apply(true);
  assert.match(script, /^REQUESTS_CA_BUNDLE=\/etc\/letsencrypt\/foobar-acme-ca\.pem certbot certonly /);
  assert.match(
    script,
    new RegExp(
      `--server https://${address("lb-01")
        .replace(/\.\d+$/, "")
        .replace(/\./g, "\\.")}\\.254:14000/dir`,
    ),
  );
  assert.match(
    script,
    /--standalone --http-01-address 127\.0\.0\.1 --http-01-port 8888 --deploy-hook \/etc\/letsencrypt\/foobar-haproxy-deploy-hook -d www\.foobar\.com -d foobar\.com$/,
  );
  const hook = written(resources, "file:/etc/letsencrypt/foobar-haproxy-deploy-hook");
  assert.match(
    hook,
    /\| \/usr\/local\/sbin\/foobar-install-pem install\n/,
    "installed here through the checking installer",
  );
  assert.match(
    hook,
    new RegExp(`-o StrictHostKeyChecking=yes .*root@${address("lb-02").replace(/\./g, "\\.")} install`),
    "pushed to the other load balancer",
  );
  const push = find(resources, "command:certificate on lb-02");
  assert.not.match(
    probeScript(push.probe({ diff: false })),
    /ssh/,
    "a no-op compares with the record of the last push: no connection",
  );
  assert.match(
    push.apply(true),
    new RegExp(
      `^ssh -i /etc/haproxy/foobar-sync/id_ed25519 .* root@${address("lb-02").replace(/\./g, "\\.")} install < /etc/haproxy/certs/foobar\\.pem && cp /etc/haproxy/certs/foobar\\.pem\\.sha256 /etc/letsencrypt/foobar-pushed-lb-02\\.sha256$`,
    ),
    "one command line, not a quoted word",
  );
  const follower = synth(
    {
      name: "certs",
      hosts: "lb",
      roles: [{ role: certbot, vars: { acme_ca_bundle: "test/unit/fixtures/acme-ca.pem" } }],
    },
    "lb-02",
  );
  assert.equal(
    follower.map((item) => item.id),
    ["command:certificate from lb-01"],
    "the other load balancer runs no certbot, it can pull the leader's PEM",
  );
  assert.not.match(probeScript(follower[0]!.probe({ diff: false })), /ssh/);
  assert.match(
    follower[0]!.apply(true),
    new RegExp(
      `until ssh -i /etc/haproxy/foobar-sync/id_ed25519 .* root@${address("lb-01").replace(/\./g, "\\.")} export > `,
    ),
  );
  assert.match(written(resources, "file:/etc/letsencrypt/foobar-acme-ca.pem"), /fixture/);
  assert.ok(resources.some((item) => item.id === "service:certbot.timer"));
});

test("ssh_hardening: key-only, no root, modern algorithms, validated by sshd -t, reloaded, with a verify step and a rollback", () => {
  const resources = synth({ name: "ssh", hosts: "all", roles: [sshHardening] }, "db-02");
  const dropIn = written(resources, "template:/etc/ssh/sshd_config.d/00-foobar-hardening.conf");
  assert.match(dropIn, /^PasswordAuthentication no$/m);
  assert.match(dropIn, /^AuthenticationMethods publickey$/m);
  assert.match(dropIn, /^PermitRootLogin no$/m);
  assert.not.match(dropIn, /AllowUsers/);
  assert.match(dropIn, /^Ciphers chacha20-poly1305@openssh\.com,/m);
  assert.not.match(dropIn, /cbc|sha1/);
  const resource = find(resources, "template:/etc/ssh/sshd_config.d/00-foobar-hardening.conf");
  const apply = resource.apply({ kind: "absent" });
  assert.match(
    apply,
    /cp -p \/etc\/ssh\/sshd_config\.d\/00-foobar-hardening\.conf \/var\/lib\/foobar-infra\/sshd-rollback\.conf/,
  );
  assert.match(apply, /if ! out=\$\(sshd -t 2>&1\)[\s\S]*systemctl try-reload-or-restart ssh$/);
  assert.ok(resource.verify, "a new login proves the change (next test)");
  assert.match(
    resource.rollback!({ kind: "absent" }),
    /cp -p \/var\/lib\/foobar-infra\/sshd-rollback\.conf \/etc\/ssh\/sshd_config\.d\/00-foobar-hardening\.conf/,
  );
  const lb = written(
    synth({ name: "ssh", hosts: "all", roles: [sshHardening] }, "lb-01"),
    "template:/etc/ssh/sshd_config.d/00-foobar-hardening.conf",
  );
  assert.match(lb, /^PermitRootLogin forced-commands-only$/m, "hosts.ts: the load balancers' certificate push");
  const allowed = written(
    synth(
      {
        name: "ssh",
        hosts: "all",
        roles: [{ role: sshHardening, vars: { allow_users: ["debian", "ops@10.0.0.0/8"] } }],
      },
      "db-02",
    ),
    "template:/etc/ssh/sshd_config.d/00-foobar-hardening.conf",
  );
  assert.match(allowed, /^AllowUsers debian ops@10\.0\.0\.0\/8$/m);
});

test("ssh_hardening: a new login proves the reload: one that sshd turns down fails the step at once; a port closed while sshd re-executes is tried again", async () => {
  const dropIn = find(
    synth({ name: "ssh", hosts: "all", roles: [sshHardening] }, "db-02"),
    "template:/etc/ssh/sshd_config.d/00-foobar-hardening.conf",
  );
  const verifyWith = (answers: (Error | undefined)[]) => {
    const logins: number[] = [];
    const newLogin = async () => {
      logins.push(logins.length);
      const answer = answers[logins.length - 1];
      if (answer) throw answer;
    };
    return {
      logins,
      verify: () => verifiedSshdDropIn(dropIn, "/etc/ssh/sshd_config.d/x.conf", newLogin).verify!({ kind: "absent" }),
    };
  };
  const fine = verifyWith([undefined]);
  await fine.verify();
  assert.is(fine.logins.length, 1, "one new login");
  const turnedDown = verifyWith([new Error("All configured authentication methods failed")]);
  await turnedDown.verify().then(
    () => assert.unreachable("a login sshd turned down passed"),
    (error: Error) =>
      assert.match(
        error.message,
        /^sshd change refused: a new SSH login as the converge's user failed after the reload \(All configured/,
      ),
  );
  assert.is(turnedDown.logins.length, 1, "not tried again");
  const restarting = verifyWith([new Error("connect ECONNREFUSED 192.0.2.22:22"), undefined]);
  await restarting.verify();
  assert.is(restarting.logins.length, 2, "the refused connection was tried again, and the second login passed");
});

test.run();
