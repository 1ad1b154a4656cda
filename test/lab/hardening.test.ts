// Hardening on booted hosts, proven from outside: firewall per tier, lockout rollback, drift repair, HTTPS + ACME, sshd.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { SUDO_ASKS_ON } from "../../lab/environment/admin-user.ts";
import { clientPublicKey } from "../../lab/keys.ts";
import { labBecomePassword } from "../../lab/sudo-password.ts";
import { withDecodedBase64 } from "../unit/support/base64-runs.ts";
import { sshOptions } from "../../lab/machine.ts";
import { paths } from "../../lab/paths.ts";
import { capture } from "../../lab/run-command.ts";
import { SITE_NAMES } from "../../lab/topology.ts";
import { ACME_CA_BUNDLE } from "../../roles/certbot/index.ts";
import {
  backgroundLoad,
  converge,
  freshHosts,
  host,
  hosts,
  http,
  mustOnHost,
  onHost,
  SITE_URL,
  historyText,
  TEST_LOG,
} from "./harness.ts";

const LB = host("lb-01").address;
const ARCHIVE = "/etc/letsencrypt/archive/foobar.com";
const scratch = mkdtempSync(join(tmpdir(), "hardening-test-"));
const seconds = (started: number) => `${((performance.now() - started) / 1000).toFixed(1)} s`;

/** Whether `from` can open a TCP connection to `to`:`port` (nc -z, 3 s). */
async function reaches(from: string, to: string, port: number): Promise<boolean> {
  return (await onHost(from, `nc -z -w 3 ${host(to).privateAddress} ${port}`)).code === 0;
}

/** Serial of the certificate lb-01 presents for www.foobar.com, verified against the lab's ACME root. */
function servedSerial(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: LB, port: 443, servername: SITE_NAMES[0], ca: readFileSync(paths.pebbleRoot, "utf8") },
      () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.end();
      },
    );
    socket.on("error", reject);
  });
}

const issuedCount = async () => Number((await mustOnHost("lb-01", `ls ${ARCHIVE} | grep -c '^cert'`)).trim());

test.before(async () => {
  await freshHosts(...hosts.hosts.map((item) => item.name));
});

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test(`sudo that asks for a password (${SUDO_ASKS_ON}): without become_password the run stops there before changing anything, naming it`, async () => {
  const refused = await converge("test/lab/playbooks/no-become-password.ts", ["-l", SUDO_ASKS_ON]);
  assert.is(refused.exitCode, 1, refused.output);
  assert.match(
    refused.output,
    new RegExp(
      `sudo on ${SUDO_ASKS_ON} asks for a password \\(user debian\\): set ssh\\.becomePassword: secret\\("\\.\\.\\."\\) for it in hosts\\.ts \\(become_password`,
    ),
  );
  assert.is(refused.changed, 0);
  assert.is(
    (await mustOnHost(SUDO_ASKS_ON, "command -v ufw || echo absent")).trim(),
    "absent",
    "nothing was installed",
  );
});

test("converge: every host hardened, the site served over HTTPS with a certificate from the lab's ACME server", async () => {
  const started = performance.now();
  const first = await converge("site");
  assert.is(first.exitCode, 0, first.output);
  console.log(`  first converge of every host (incl. certificate): ${seconds(started)}`);
  const reply = await http(SITE_URL);
  assert.is(reply.status, 200, reply.body.slice(0, 200));
  assert.ok(reply.headers["x-served-by"], "X-Served-By through lb-01");
  assert.match(String(reply.headers["strict-transport-security"]), /max-age=\d+/);
  const curl = await capture("curl", [
    "-sS",
    "-o",
    "/dev/null",
    "-w",
    "%{http_code} %{ssl_verify_result}",
    "--cacert",
    paths.pebbleRoot,
    "--resolve",
    `www.foobar.com:443:${LB}`,
    "https://www.foobar.com/",
  ]);
  assert.is(curl.stdout, "200 0", curl.stderr);
});

test("second run: 0 changed, one exec per host, no new certificate requested", async () => {
  const before = await issuedCount();
  const started = performance.now();
  const second = await converge("site", ["-vv"]); // -vv: a command event per exec
  assert.is(second.exitCode, 0, second.output);
  assert.is(second.changed, 0, second.changedTasks.join("\n"));
  console.log(`  no-op converge of every host: ${seconds(started)}`);
  const execsPerHost: Record<string, number> = {};
  for (const event of second.events)
    if (event.type === "command") execsPerHost[event.host] = (execsPerHost[event.host] ?? 0) + 1;
  assert.equal(
    execsPerHost,
    Object.fromEntries(hosts.hosts.map((item) => [item.name, 1])),
    "each host's work in one framed script (the run's command events)",
  );
  assert.is(await issuedCount(), before);
});

test("firewall per tier: db 3306 only from web, web 80 only from lb, SSH to every host", async () => {
  await mustOnHost("db-01", "systemd-run --unit=probe-3306 nc -lk 3306");
  try {
    assert.ok(await reaches("web-01", "db-01", 3306), "web-01 -> db-01:3306 open");
    assert.ok(await reaches("db-02", "db-01", 3306), "the replica -> db-01:3306 open");
    assert.not.ok(await reaches("lb-01", "db-01", 3306), "lb-01 -> db-01:3306 closed");
  } finally {
    await mustOnHost("db-01", "systemctl stop probe-3306");
  }
  assert.ok(await reaches("lb-01", "web-01", 80), "lb-01 -> web-01:80 open");
  assert.not.ok(await reaches("db-01", "web-01", 80), "db-01 -> web-01:80 closed");
  for (const item of hosts.hosts)
    assert.is((await mustOnHost(item.name, "echo ok")).trim(), "ok", `SSH to ${item.name}`);
});

test("sshd: key-only; a password login is not even offered", async () => {
  const target = host("web-01");
  const attempt = await capture("ssh", [
    "-F",
    "/dev/null",
    "-o",
    `UserKnownHostsFile=${paths.knownHosts}`,
    "-o",
    "PubkeyAuthentication=no",
    "-o",
    "BatchMode=yes",
    "-o",
    "ConnectTimeout=5",
    `${target.ssh.user}@${target.address}`,
    "true",
  ]);
  assert.is.not(attempt.code, 0);
  assert.match(attempt.stderr, /Permission denied \(publickey\)/);
  const effective = await mustOnHost(
    "web-01",
    "sshd -T | grep -E '^(passwordauthentication|kbdinteractiveauthentication|permitrootlogin|ciphers) '",
  );
  assert.match(effective, /passwordauthentication no/);
  assert.match(effective, /kbdinteractiveauthentication no/);
  assert.match(effective, /permitrootlogin no/);
  assert.not.match(effective, /cbc/);
  assert.match(
    await mustOnHost("lb-01", "sshd -T | grep '^permitrootlogin '"),
    /permitrootlogin forced-commands-only/,
    "the load balancers take root only for the certificate push's forced command",
  );
});

test("root is refused on every host even with the lab's key in its authorized_keys; the admin user still logs in", async () => {
  const marker = "foobar-lab-root-refusal-test";
  const line = `${clientPublicKey().trim()} ${marker}`;
  for (const item of hosts.hosts)
    await mustOnHost(
      item.name,
      `install -d -m 0700 /root/.ssh && printf '%s\\n' '${line}' >> /root/.ssh/authorized_keys`,
    );
  try {
    for (const item of hosts.hosts) {
      const asRoot = await capture("ssh", [
        ...sshOptions(),
        "-o",
        "ConnectTimeout=5",
        `root@${item.address}`,
        "echo logged-in",
      ]);
      assert.is(asRoot.code, 255, `${item.name}: ssh as root exited ${asRoot.code}: ${asRoot.stderr}`);
      assert.not.match(asRoot.stdout, /logged-in/, `${item.name}: root logged in`);
      const asAdmin = await capture("ssh", [
        ...sshOptions(),
        "-o",
        "ConnectTimeout=5",
        `${item.ssh.user}@${item.address}`,
        "id -un",
      ]);
      assert.is(asAdmin.stdout.trim(), item.ssh.user, `${item.name}: ${asAdmin.stderr}`);
      assert.is((await mustOnHost(item.name, "id -un")).trim(), "root", `${item.name}: sudo`);
    }
  } finally {
    for (const item of hosts.hosts) await mustOnHost(item.name, `sed -i '/ ${marker}$/d' /root/.ssh/authorized_keys`);
  }
});

test("an sshd change that would lock the converge's user out (AllowUsers naming another) is rolled back; the host stays reachable", async () => {
  const before = await mustOnHost("db-02", "sshd -T | sort");
  const locked = await converge("test/lab/playbooks/sshd-lockout.ts", ["-l", "db-02"]);
  assert.is(locked.exitCode, 1, locked.output);
  assert.match(
    locked.output,
    /sshd change refused: a new SSH login as the converge's user failed after the reload .*\(rolled back\)/,
  );
  assert.is(await mustOnHost("db-02", "sshd -T | sort"), before, "the drop-in in force before is back");
  const again = await converge("site", ["-l", "db-02", "--check"]);
  assert.is(again.exitCode, 0, again.output);
});

test(`become_password (${SUDO_ASKS_ON}): in no output, --json, -vv script, process list on the host or here, or journal`, async () => {
  const password = labBecomePassword();
  const hostLists: string[] = [];
  let sampling = true;
  const sampler = (async () => {
    while (sampling) {
      hostLists.push(
        (
          await capture("ssh", [
            ...sshOptions(),
            `${host(SUDO_ASKS_ON).ssh.user}@${host(SUDO_ASKS_ON).address}`,
            "ps -eo args",
          ])
        ).stdout,
      );
      await new Promise((resolveTimer) => setTimeout(resolveTimer, 100));
    }
  })();
  const local: string[] = [];
  const localSampler = setInterval(
    () => void capture("ps", ["-eo", "args"]).then((result) => local.push(result.stdout)),
    50,
  );
  const runs = [
    await converge("site", ["-l", SUDO_ASKS_ON, "-vv"]),
    await converge("site", ["-l", SUDO_ASKS_ON, "--diff"]),
  ];
  sampling = false;
  clearInterval(localSampler);
  await sampler;
  for (const result of runs) assert.is(result.exitCode, 0, result.output);
  const journal = await onHost(
    SUDO_ASKS_ON,
    'f=$(mktemp); cat > "$f"; journalctl --no-pager -q --since \'-15 min\' | grep -c -F -f "$f"; rm -f "$f"',
    `${password}\n`,
  );
  assert.is(journal.stdout.trim(), "0", "the password is in the host's journal");
  assert.ok(hostLists.length > 5 && local.length > 5, "the process lists were sampled");
  const everything = withDecodedBase64(
    [
      ...runs.map((result) => result.output),
      readFileSync(TEST_LOG, "utf8"),
      historyText(),
      ...hostLists,
      ...local,
    ].join("\n"),
  );
  assert.not.ok(
    everything.includes(password),
    "the become_password appeared (plain or base64) in an output, the test log, the run history or a process list",
  );
});

test("a firewall change that blocks new SSH logins is rolled back and reported; the host stays reachable", async () => {
  const before = await mustOnHost("db-02", "ufw status");
  const locked = await converge("test/lab/playbooks/ufw-lockout.ts", ["-l", "db-02"]);
  assert.is(locked.exitCode, 1, locked.output);
  assert.match(locked.output, /a new SSH connection failed after it was applied .*\(rolled back\)/);
  assert.is(await mustOnHost("db-02", "ufw status"), before);
  const again = await converge("site", ["-l", "db-02", "--check"]);
  assert.is(again.exitCode, 0, again.output);
});

test("drift: ufw disabled, a rule deleted, a stray rule added — each repaired by the next run", async () => {
  await mustOnHost("web-02", "ufw disable");
  await mustOnHost("db-01", `ufw delete allow proto tcp from ${host("web-01").privateAddress} to any port 3306`);
  await mustOnHost("lb-01", "ufw allow 8080/tcp");
  const check = await converge("site", ["--check"]);
  assert.is(check.exitCode, 2, check.output);
  const repair = await converge("site");
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(repair.changedTasks.sort(), ["db-01: ufw:firewall", "lb-01: ufw:firewall", "web-02: ufw:firewall"]);
  assert.match(await mustOnHost("web-02", "ufw status"), /Status: active/);
  assert.not.match(await mustOnHost("lb-01", "ufw status"), /8080/);
  assert.not.ok(await reaches("db-01", "web-02", 80), "db-01 -> web-02:80 closed again");
  assert.is((await converge("site", ["--check"])).exitCode, 0);
});

test("HTTP answers 301 to HTTPS; TLS 1.0 and 1.1 refused, 1.2 and 1.3 accepted", async () => {
  const redirect = await http("http://www.foobar.com/some/path?q=1");
  assert.is(redirect.status, 301);
  assert.is(redirect.headers.location, "https://www.foobar.com/some/path?q=1");
  // SECLEVEL=0 so that a refusal comes from the server, not from this machine's OpenSSL defaults.
  const handshake = (flag: string) =>
    capture(
      "openssl",
      ["s_client", flag, "-cipher", "DEFAULT@SECLEVEL=0", "-connect", `${LB}:443`, "-servername", SITE_NAMES[0]!],
      { input: "" },
    );
  for (const old of ["-tls1", "-tls1_1"]) assert.is.not((await handshake(old)).code, 0, `${old} must be refused`);
  for (const current of ["-tls1_2", "-tls1_3"]) assert.is((await handshake(current)).code, 0, `${current} must work`);
});

test("testssl.sh finds no HIGH or CRITICAL issue", async () => {
  const report = join(scratch, "testssl.json");
  const result = await capture(
    "testssl",
    [
      "--quiet",
      "--warnings",
      "off",
      "--color",
      "0",
      "--fast",
      "--ip",
      LB,
      "--add-ca",
      paths.pebbleRoot,
      "--jsonfile",
      report,
      `https://${SITE_NAMES[0]}/`,
    ],
    { timeout: 300_000 },
  );
  assert.is.not(result.code, null, "testssl timed out");
  const findings = JSON.parse(readFileSync(report, "utf8")) as { id: string; severity: string; finding: string }[];
  // Pebble issues certificates without an OCSP or CRL URI (the lab runs no responder), so "cert_revocation" is a lab
  // artefact; Let's Encrypt certificates carry a CRL distribution point.
  const serious = findings.filter(
    (finding) => (finding.severity === "HIGH" || finding.severity === "CRITICAL") && finding.id !== "cert_revocation",
  );
  assert.equal(
    serious.map((finding) => `${finding.id}: ${finding.finding}`),
    [],
  );
});

test("forced renewal: HAProxy serves the new certificate, no request fails meanwhile", async () => {
  const before = await servedSerial();
  const load = backgroundLoad(SITE_URL, { intervalMs: 10, maxRequests: 5000 });
  const started = performance.now();
  await mustOnHost(
    "lb-01",
    `REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} certbot renew --force-renewal --no-random-sleep-on-renew -q`,
  );
  console.log(`  forced renewal incl. deploy hook: ${seconds(started)}`);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const during = await load.stop();
  assert.is(during.failed, 0, during.failures.slice(0, 5).join("; "));
  assert.ok(during.sent > 20, `load sent ${during.sent}`);
  assert.is.not(await servedSerial(), before);
  const after = await converge("site", ["-l", "lb"]);
  assert.is(after.changed, 0, after.changedTasks.join("\n"));
});

test.run();
