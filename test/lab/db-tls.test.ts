// Database traffic encrypted and verified, on booted hosts: nothing readable crosses the lab's switch on 3306 while the
// site writes and a replica is bootstrapped; a login without TLS is refused; a server certificate with the wrong name
// is refused by the app, /health says why, and the converge replaces it live (no restart), its key shown nowhere.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import { tool } from "../../lab/requirements.ts";
import { SWITCH } from "../../lab/topology.ts";
import { Secret } from "../../lib/secret.ts";
import { DB_CA_FILE } from "../../roles/app/index.ts";
import { databaseCa, TLS_FILES } from "../../roles/mysql_common/tls.ts";
import { converge, eventually, historyText, host, http, mustOnHost, onHost, SITE_URL } from "./harness.ts";
import { DB, forgetGtids, sqlCommand } from "./db-flavor.ts";

const labSecret = (name: string) =>
  (JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>)[name]!;
const primaryAddress = () => host("db-01").privateAddress;
const onReplica = (sql: string) => mustOnHost("db-02", sqlCommand(sql));

/** tcpdump on the lab's bridge, port 3306, into a file; resolves once it listens. stop() returns the capture's bytes. */
async function captureDatabaseTraffic(): Promise<{ stop: () => Promise<Buffer> }> {
  const dir = mkdtempSync(join(tmpdir(), "foobar-capture-"));
  const file = join(dir, "3306.pcap");
  const dump = spawn(tool("ip"), [
    "netns",
    "exec",
    SWITCH.netns,
    tool("tcpdump"),
    "-i",
    SWITCH.bridge,
    "-U",
    "-s",
    "0",
    "-w",
    file,
    "tcp port 3306",
  ]);
  let stderr = "";
  const listening = new Promise<void>((resolve, reject) => {
    dump.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes("listening on")) resolve();
    });
    dump.on("exit", (code) => reject(new Error(`tcpdump exited (${code}): ${stderr}`)));
  });
  await listening;
  return {
    stop: async () => {
      const exited = once(dump, "exit");
      dump.kill("SIGINT");
      await exited;
      const bytes = readFileSync(file);
      rmSync(dir, { recursive: true, force: true });
      return bytes;
    },
  };
}

async function postMessage(text: string): Promise<number> {
  const reply = await http(`${SITE_URL}api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ author: "tls-test", text }),
  });
  assert.is(reply.status, 201, reply.body);
  return JSON.parse(reply.body).id as number;
}

/** The app's /health on one web host, straight from the app (not through the load balancers). */
async function appHealth(
  web: string,
): Promise<{ status: string; database: Record<string, { reachable: boolean; error?: string }> }> {
  return JSON.parse(await mustOnHost(web, "curl -s --max-time 5 http://127.0.0.1:3000/health"));
}

test.before(async () => {
  const site = await converge("site");
  assert.is(site.exitCode, 0, site.output);
  await mustOnHost(
    "web-01",
    "command -v mariadb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-client >/dev/null 2>&1",
  );
});

test("3306 on the switch while the site writes a marker and the replica is bootstrapped: neither the marker nor a password", async () => {
  const marker = `tls-marker-${process.pid}-${Date.now()}`;
  // A replica with nothing of its own (no replication, no GTIDs): the converge bootstraps it from a dump of the primary.
  await onReplica(`STOP REPLICA; RESET REPLICA ALL; ${forgetGtids}`);
  const capture = await captureDatabaseTraffic();
  let bytes: Buffer;
  try {
    const bootstrap = await converge("site", ["-l", "db-02"]);
    assert.is(bootstrap.exitCode, 0, bootstrap.output);
    assert.match(bootstrap.output, /replication is not configured -> re-bootstrap from a dump of the primary/);
    const id = await postMessage(marker);
    assert.ok(
      await eventually(
        async () => (await onReplica(`SELECT text FROM foobar.messages WHERE id=${id}`)).trim() === marker,
        5000,
        100,
      ),
      "the marker reached the replica",
    );
  } finally {
    bytes = await capture.stop();
  }
  // The servers' greetings precede TLS: the capture did see the database conversations.
  assert.ok(
    ["mysql_native_password", "caching_sha2_password", "MariaDB"].some((greeting) => bytes.includes(greeting)),
    "the capture holds 3306 traffic",
  );
  assert.not.ok(bytes.includes(marker), "the marker crossed the network in clear");
  for (const name of ["db_repl_password", "db_app_password", "db_read_password"])
    assert.not.ok(bytes.includes(labSecret(name)), `${name} crossed the network in clear`);
});

test("a login without TLS from a web host is refused; with TLS, verified against the CA and by name, it works", async () => {
  const login = (tls: string) =>
    onHost(
      "web-01",
      `read -r pw; MYSQL_PWD="$pw" mariadb ${tls} -h ${primaryAddress()} -u foobar_app -NBe 'SELECT 1' foobar`,
      `${labSecret("db_app_password")}\n`,
    );
  const plain = await login("--skip-ssl");
  assert.is.not(plain.code, 0, "a login without TLS was accepted");
  // MariaDB 11.8 names the reason; 10.11 (Debian 12) answers access denied. The same password then logs in over TLS
  // below, so either way it is the transport that was refused.
  assert.match(
    plain.stderr,
    /insecure transport are prohibited|Access denied for user 'foobar_app'.*\(using password: YES\)/i,
    `the refusal said: ${plain.stderr.trim()}`,
  );
  const verified = await login(`--ssl-ca=${DB_CA_FILE} --ssl-verify-server-cert`);
  assert.is(verified.code, 0, verified.stderr);
  assert.is(verified.stdout.trim(), "1");
});

test("a server certificate with the wrong name: the app refuses it and /health says why; the converge replaces it live", async () => {
  const wrong = databaseCa(new Secret("db_ca_key", labSecret("db_ca_key"))).issue("db-01", ["db-99", "192.0.2.99"], 90);
  const uptime = async () =>
    Number((await mustOnHost("db-01", sqlCommand("SHOW GLOBAL STATUS LIKE 'Uptime'"))).split("\t")[1]);
  const pid = () => mustOnHost("db-01", `systemctl show -p MainPID --value ${DB.service}`);
  const pidBefore = await pid();
  await mustOnHost(
    "db-01",
    `{ cat > ${TLS_FILES.certificate}; } <<'PEM'\n${wrong.certificate}PEM\ncat > ${TLS_FILES.key}; ${DB.client} -e '${DB.reloadTls}'`,
    wrong.privateKey.reveal(),
  );
  await mustOnHost("web-01", "systemctl restart foobar-app"); // new connections: the pooled ones predate the swap
  assert.ok(
    await eventually(
      async () => (await appHealth("web-01").catch(() => undefined))?.database?.primary?.reachable === false,
      10_000,
      200,
    ),
    "the app refused the primary",
  );
  const health = await appHealth("web-01");
  assert.is(health.status, "degraded");
  assert.match(
    health.database.primary!.error!,
    /^the server's TLS certificate was refused \(HANDSHAKE_SSL_ERROR\): Hostname\/IP does not match certificate's altnames: Host: db-01\. is not in the cert's altnames: DNS:db-99, IP Address:192\.0\.2\.99$/,
  );

  const check = await converge("site", ["-l", "db-01", "--check"]);
  assert.is(check.exitCode, 2, check.output);
  const uptimeBefore = await uptime();
  const repair = await converge("site", ["-l", "db-01", "--diff", "-vv"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(repair.changedTasks, [`db-01: certificate:${TLS_FILES.certificate}`]);
  assert.match(repair.output, /names 192\.0\.2\.99, db-99, wanted [\d.]+, db-01 -> issue a new certificate/);
  assert.is(await pid(), pidBefore, "the server was not restarted");
  assert.ok((await uptime()) >= uptimeBefore, "the server's uptime went on");
  assert.ok(
    await eventually(async () => (await appHealth("web-01").catch(() => undefined))?.status === "ok", 10_000, 200),
    "the app accepts the new certificate",
  );
  const key = await mustOnHost("db-01", `cat ${TLS_FILES.key}`);
  const keyBody = key.split("\n")[1]!;
  assert.match(key, /BEGIN PRIVATE KEY/);
  for (const [where, text] of [
    ["the converge's output", repair.output],
    ["the run history", historyText()],
  ] as const)
    assert.not.ok(text.includes(keyBody), `the new key is in ${where}`);
  assert.match(await mustOnHost("db-01", `stat -c '%U %G %a' ${TLS_FILES.key}`), /^mysql mysql 600$/m);
  assert.is((await converge("site", ["-l", "db-01"])).changed, 0);
});

test.run();
