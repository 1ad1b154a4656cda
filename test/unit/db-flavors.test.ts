// Database roles for both flavours from recorded probe output: MariaDB 10.11 (recorded in the lab) and MySQL 8.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { flavorOf, MARIADB, MYSQL } from "../../roles/mysql_common/flavor.ts";
import { parseShowGrants, sameGrants, normaliseGrants } from "../../roles/mysql_common/grants.ts";
import { nativePasswordHash } from "../../roles/mysql_common/password-check.ts";
import { decide, replication } from "../../roles/mysql_common/replication-resource.ts";
import { parseReplicaStatus } from "../../roles/mysql_common/replica-status.ts";
import { serverConfig } from "../../roles/mysql_common/server-config.ts";
import { dbUser } from "../../roles/mysql_common/user-resource.ts";
import { probeScript } from "../../lib/facts/probe-kinds.ts";
import { DB_02 } from "./support/db-server.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", "mysql", name), "utf8");
const labSource = {
  host: "192.168.56.21",
  port: 3306,
  user: "foobar_repl",
  password: "s3cr3t-Pa55",
  caFile: "/etc/mysql/tls/ca.pem",
  databases: ["foobar"],
};
const prodSource = { ...labSource, host: "10.0.0.21" };
const decode = (script: string) =>
  [...script.matchAll(/<<'__FOOBAR_B64__'[^\n]*\n([\s\S]*?)__FOOBAR_B64__/g)]
    .map((match) => Buffer.from(match[1]!.replace(/\n/g, ""), "base64").toString())
    .join("\n");

test("flavour from the roles' db_engine, never from the host's OS", () => {
  assert.is(flavorOf("mariadb"), MARIADB);
  assert.is(flavorOf("mysql"), MYSQL);
});

test("MariaDB replica status (recorded): running → nothing to do; stopped → start; SQL error 1062 → re-bootstrap", () => {
  const running = parseReplicaStatus(MARIADB, fixture("mariadb-replica-running.txt"));
  assert.equal(
    [running.ioRunning, running.sqlRunning, running.sourceHost, running.usesGtid, running.lagSeconds],
    ["Yes", "Yes", "192.168.56.21", true, 0],
  );
  assert.equal(decide(running, labSource), {
    kind: "repoint",
    why: "not over TLS with the source's certificate verified against /etc/mysql/tls/ca.pem",
  });
  const overTls = parseReplicaStatus(MARIADB, fixture("mariadb-replica-running-tls.txt"));
  assert.equal(decide(overTls, labSource), { kind: "none" });
  assert.equal(decide(overTls, { ...labSource, host: "192.168.56.99" }).kind, "repoint");
  // The recorded stopped replica predates TLS: here it replicates over verified TLS, so starting it is all it needs.
  const stoppedStatus = parseReplicaStatus(MARIADB, fixture("mariadb-replica-stopped.txt"));
  const stopped = decide({ ...stoppedStatus, verifiedTlsCa: labSource.caFile }, labSource);
  assert.equal(stopped, { kind: "start", why: "replication stopped (IO thread No, SQL thread No)" });
  const broken = decide(parseReplicaStatus(MARIADB, fixture("mariadb-replica-sql-error.txt")), labSource);
  assert.is(broken.kind, "bootstrap");
  assert.match((broken as { why: string }).why, /^SQL thread stopped with error 1062: .*Duplicate entry/);
  assert.equal(decide(parseReplicaStatus(MARIADB, ""), labSource), {
    kind: "bootstrap",
    why: "replication is not configured",
  });
});

test("MySQL 8 replica status: Replica_/Source_ columns, Auto_Position; fatal 1236 wrapped as 13114 → re-bootstrap", () => {
  const running = parseReplicaStatus(MYSQL, fixture("mysql8-replica-running.txt"));
  assert.equal(
    [running.ioRunning, running.sqlRunning, running.sourceHost, running.sourceUser, running.usesGtid],
    ["Yes", "Yes", "10.0.0.21", "foobar_repl", true],
  );
  assert.equal(decide(running, prodSource), { kind: "none" });
  const lost = decide(parseReplicaStatus(MYSQL, fixture("mysql8-replica-io-1236.txt")), prodSource);
  assert.is(lost.kind, "bootstrap");
  assert.match((lost as { why: string }).why, /purged required binary logs/);
});

test("replication apply scripts speak each flavour's dialect and carry the password only base64-encoded", () => {
  const status = parseReplicaStatus(MARIADB, fixture("mariadb-replica-stopped.txt"));
  const mariadb = replication(MARIADB, labSource).apply(status);
  assert.not.ok(mariadb.includes("s3cr3t-Pa55"), "plain password in the script");
  assert.match(
    decode(mariadb),
    /CHANGE MASTER TO MASTER_HOST='192\.168\.56\.21', MASTER_PORT=3306, MASTER_USER='foobar_repl', MASTER_PASSWORD='s3cr3t-Pa55', MASTER_USE_GTID=slave_pos, MASTER_SSL=1, MASTER_SSL_CA='\/etc\/mysql\/tls\/ca\.pem', MASTER_SSL_VERIFY_SERVER_CERT=1/,
  );
  assert.match(
    decode(mariadb),
    /\[client\]\n[\s\S]*\nssl\nssl-ca=\/etc\/mysql\/tls\/ca\.pem\nssl-verify-server-cert\n/,
    "the dump verifies the source",
  );
  assert.match(mariadb, /mariadb-dump --defaults-extra-file="\$cnf" --single-transaction --gtid --master-data=1/);
  const mysql = replication(MYSQL, prodSource).apply(parseReplicaStatus(MYSQL, ""));
  assert.match(
    decode(mysql),
    /CHANGE REPLICATION SOURCE TO SOURCE_HOST='10\.0\.0\.21'.*SOURCE_AUTO_POSITION=1, SOURCE_SSL=1, SOURCE_SSL_CA='\/etc\/mysql\/tls\/ca\.pem', SOURCE_SSL_VERIFY_SERVER_CERT=1/,
  );
  assert.not.match(decode(mysql), /PUBLIC_KEY|public-key/, "no RSA key retrieval");
  assert.match(decode(mysql), /\nssl-mode=VERIFY_IDENTITY\nssl-ca=\/etc\/mysql\/tls\/ca\.pem\n/);
  assert.match(
    mysql,
    /8\.0\.\*\|8\.1\.\*\) mysql --batch -e 'RESET MASTER' ;;\n {2}\*\) mysql --batch -e 'RESET BINARY LOGS AND GTIDS' ;;/,
    "RESET MASTER before MySQL 8.2 only: 8.4 removed it",
  );
  assert.match(mysql, /mysqldump --defaults-extra-file="\$cnf" --single-transaction --set-gtid-purged=ON/);
  assert.match(mysql, /^bootstrap$/m, "a replica with no replication is bootstrapped directly");
});

test("SHOW GRANTS of both flavours parse to the declared grants", () => {
  const mariadbRepl = parseShowGrants(fixture("mariadb-grants-repl.txt").trim().split("\n"));
  assert.ok(
    sameGrants(
      mariadbRepl,
      normaliseGrants({
        "*.*": ["REPLICATION SLAVE", "BINLOG MONITOR", "RELOAD"],
        "foobar.*": ["SELECT", "LOCK TABLES", "SHOW VIEW", "TRIGGER", "EVENT"],
      }),
    ),
  );
  const mysqlApp = parseShowGrants(fixture("mysql8-grants-app.txt").trim().split("\n"));
  assert.ok(
    sameGrants(
      mysqlApp,
      normaliseGrants({ "foobar.*": ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX"] }),
    ),
  );
  assert.not.ok(sameGrants(mysqlApp, normaliseGrants({ "foobar.*": ["SELECT"] })));
});

test("accounts: MariaDB compares the native hash on the host; MySQL 8 a root-only fingerprint file", () => {
  assert.is(nativePasswordHash("password"), "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");
  const grants = { "foobar.*": ["SELECT"] };
  const mariadb = dbUser(MARIADB, "foobar_read", "10.0.0.11", "pw-1", grants, { binlog: false });
  assert.match(probeScript(mariadb.probe({ diff: false })), /authentication_string.{1,8}=.{1,5}\*[0-9A-F]{40}/);
  const drifted = mariadb.parse(
    "exists 1\npassword 0\nGRANT SELECT, INSERT ON `foobar`.* TO `foobar_read`@`10.0.0.11`",
    0,
  );
  assert.equal(
    mariadb.plan(drifted, { diff: false }).map((change) => change.summary),
    ["password", "privileges INSERT, SELECT ON `foobar`.* -> SELECT ON `foobar`.*"],
  );
  const sql = decode(mariadb.apply(drifted));
  assert.match(
    sql,
    /^SET SESSION sql_log_bin = 0;\nCREATE USER IF NOT EXISTS 'foobar_read'@'10\.0\.0\.11' IDENTIFIED BY 'pw-1';\nALTER USER .*\nREVOKE ALL PRIVILEGES, GRANT OPTION FROM .*;\nGRANT SELECT ON `foobar`\.\* TO 'foobar_read'@'10\.0\.0\.11';$/,
  );
  const converged = mariadb.parse(
    "exists 1\npassword 1\nGRANT USAGE ON *.* TO `foobar_read`@`10.0.0.11` IDENTIFIED BY PASSWORD '*0123456789ABCDEF0123456789ABCDEF01234567'\nGRANT SELECT ON `foobar`.* TO `foobar_read`@`10.0.0.11`",
    0,
  );
  assert.equal(mariadb.plan(converged, { diff: false }), []);
  const mysql = dbUser(MYSQL, "foobar_app", "10.0.0.11", "pw-2", grants);
  assert.match(
    probeScript(mysql.probe({ diff: false })),
    /cat \/etc\/mysql\/foobar-credentials\/foobar_app@10\.0\.0\.11/,
  );
  const created = mysql.apply(mysql.parse("exists 0\npassword 0", 0));
  assert.match(created, /install -d -m 0700 \/etc\/mysql\/foobar-credentials/);
  assert.not.ok(created.includes("pw-2"));
});

test("accounts during a rotation: both passwords accepted (MariaDB alternatives, MySQL RETAIN CURRENT), then the old one dropped", () => {
  const grants = { "foobar.*": ["SELECT"] };
  const rows = "GRANT SELECT ON `foobar`.* TO `foobar_app`@`10.0.0.11`";
  const rotating = dbUser(MARIADB, "foobar_app", "10.0.0.11", "new-pw-1", grants, { retiringPassword: "old-pw-1" });
  assert.match(
    probeScript(rotating.probe({ diff: false })),
    /auth_or\[1\]\.authentication_string.{1,8}=.{1,5}\*[0-9A-F]{40}/,
  );
  const oldOnly = rotating.parse(`exists 1\npassword 0\nextra 0\nretiring 0\n${rows}`, 0);
  assert.equal(
    rotating.plan(oldOnly, { diff: false }).map((change) => change.summary),
    ["password (new, the retiring one still accepted)"],
  );
  assert.match(
    decode(rotating.apply(oldOnly)),
    /ALTER USER 'foobar_app'@'10\.0\.0\.11' IDENTIFIED VIA mysql_native_password USING PASSWORD\('new-pw-1'\) OR mysql_native_password USING PASSWORD\('old-pw-1'\);/,
  );
  assert.equal(
    rotating.plan(rotating.parse(`exists 1\npassword 1\nextra 1\nretiring 1\n${rows}`, 0), { diff: false }),
    [],
    "both accepted: nothing to do",
  );
  const settled = dbUser(MARIADB, "foobar_app", "10.0.0.11", "new-pw-1", grants);
  const bothLeft = settled.parse(`exists 1\npassword 1\nextra 1\n${rows}`, 0);
  assert.equal(
    settled.plan(bothLeft, { diff: false }).map((change) => change.summary),
    ["password (the retiring one dropped)"],
    "the main password matching is not enough",
  );
  assert.match(decode(settled.apply(bothLeft)), /ALTER USER 'foobar_app'@'10\.0\.0\.11' IDENTIFIED BY 'new-pw-1';/);
  const mysqlRotating = dbUser(MYSQL, "foobar_app", "10.0.0.11", "new-pw-2", grants, { retiringPassword: "old-pw-2" });
  assert.match(
    decode(mysqlRotating.apply(mysqlRotating.parse(`exists 1\npassword 0\nextra 0\n${rows}`, 0))),
    /IDENTIFIED WITH caching_sha2_password BY 'new-pw-2' RETAIN CURRENT PASSWORD;/,
  );
  const mysqlSettled = dbUser(MYSQL, "foobar_app", "10.0.0.11", "new-pw-2", grants);
  const secondaryLeft = mysqlSettled.parse(`exists 1\npassword 1\nextra 1\nplugin caching_sha2_password\n${rows}`, 0);
  assert.equal(
    mysqlSettled.plan(secondaryLeft, { diff: false }).map((change) => change.summary),
    ["password (the retiring one dropped)"],
  );
  assert.match(
    decode(mysqlSettled.apply(secondaryLeft)),
    /^ALTER USER 'foobar_app'@'10\.0\.0\.11' DISCARD OLD PASSWORD;$/m,
  );
});

test("server config: replica read-only (super_read_only on MySQL), GTID settings per flavour", () => {
  const options = DB_02;
  const mariadb = serverConfig(MARIADB, { ...options, role: "replica" });
  assert.match(mariadb, /server_id = 22\nbind_address = 10\.0\.0\.22/);
  assert.match(mariadb, /read_only = ON/);
  assert.not.match(mariadb, /super_read_only/);
  assert.match(mariadb, /gtid_strict_mode = ON/);
  const mysql = serverConfig(MYSQL, { ...options, role: "replica" });
  assert.match(mysql, /gtid_mode = ON\nenforce_gtid_consistency = ON/);
  assert.match(mysql, /super_read_only = ON/);
  assert.match(
    serverConfig(MYSQL, { ...options, role: "primary" }),
    /super_read_only = OFF\nread_only = OFF\n/,
    "a primary says it is writable",
  );
});

test.run();
