// Database tier on booted hosts: writes via the primary, reads from the read-only replica, replication that
// repairs itself (stopped, re-pointed, broken by a conflict), backups that restore, and no password anywhere.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import { converge, eventually, freshHosts, host, http, mustOnHost, onHost, SITE_URL, TEST_LOG } from "./harness.ts";
import { tool } from "../../lab/requirements.ts";

const SITE = SITE_URL;
const secrets = () => Object.values(JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>);
const onReplica = (sql: string) => mustOnHost("db-02", `mariadb --batch --skip-column-names -e ${JSON.stringify(sql)}`);
const onPrimary = (sql: string) => mustOnHost("db-01", `mariadb --batch --skip-column-names -e ${JSON.stringify(sql)}`);

async function postMessage(text: string): Promise<number> {
  const reply = await http(`${SITE}api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ author: "lab-test", text }) });
  assert.is(reply.status, 201, reply.body);
  return JSON.parse(reply.body).id as number;
}

async function replicaHas(id: number): Promise<boolean> {
  return (await onReplica(`SELECT COUNT(*) FROM foobar.messages WHERE id=${id}`)).trim() === "1";
}

test.before(async () => {
  await freshHosts("lb-01", "web-01", "web-02", "db-01", "db-02");
});

test("site converges the database tier; second run: 0 changed", async () => {
  const first = await converge("site");
  assert.is(first.exitCode, 0, first.output);
  assert.ok(first.changedTasks.includes("db-02: db-replication"), "the replica was bootstrapped");
  const second = await converge("site");
  assert.is(second.exitCode, 0, second.output);
  assert.is(second.changed, 0, second.changedTasks.join("\n"));
  assert.equal((await onReplica("SELECT @@read_only")).trim(), "1");
});

test("a row written through the load balancer is readable on the replica, directly and through the app, within 2 s", async () => {
  const id = await postMessage("written via lb-01");
  assert.ok(await eventually(() => replicaHas(id), 2000, 50), "row on the replica within 2 s");
  const reply = await http(`${SITE}api/messages/${id}`);
  assert.is(reply.status, 200, reply.body);
  assert.is(JSON.parse(reply.body).text, "written via lb-01");
  const health = JSON.parse((await http(`${SITE}health`)).body);
  assert.is(health.database.primary.reachable, true);
  assert.is(health.database.replica.reachable, true);
  assert.type(health.database.replica.lagSeconds, "number");
});

test("writes straight to the replica with the app's accounts are refused", async () => {
  await mustOnHost("web-01", "command -v mariadb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-client >/dev/null 2>&1");
  const stored = JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>;
  const replica = host("db-02").privateAddress;
  for (const [user, secretName] of [["foobar_read", "db_read_password"], ["foobar_app", "db_app_password"]] as const) {
    // Credentials travel on stdin into a 0600 file on web-01: never on a command line.
    const options = `[client]\nuser=${user}\npassword=${stored[secretName]}\nhost=${replica}\n`;
    const result = await onHost("web-01", `f=$(mktemp); cat > "$f"; mariadb --defaults-extra-file="$f" -e "INSERT INTO foobar.messages (author, text) VALUES ('x', 'y')"; rc=$?; rm -f "$f"; exit $rc`, options);
    assert.is.not(result.code, 0, `${user} could write to the replica`);
    assert.match(result.stderr, /(denied|read-only|--read-only)/i, result.stderr);
  }
  const reads = await onHost("web-01", `f=$(mktemp); cat > "$f"; mariadb --defaults-extra-file="$f" -NBe "SELECT COUNT(*) >= 1 FROM foobar.messages"; rc=$?; rm -f "$f"; exit $rc`, `[client]\nuser=foobar_read\npassword=${stored.db_read_password}\nhost=${replica}\n`);
  assert.is(reads.stdout.trim(), "1", reads.stderr);
});

test("STOP REPLICA on db-02: the next converge reports and repairs it; rows written meanwhile arrive", async () => {
  await onReplica("STOP REPLICA");
  const id = await postMessage("written while replication was stopped");
  const check = await converge("site", ["--check", "-l", "db-02"]);
  assert.is(check.exitCode, 2);
  const repair = await converge("site", ["-l", "db-02"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(repair.changedTasks, ["db-02: db-replication"]);
  assert.match(repair.output, /replication stopped \(IO thread No, SQL thread No\)/);
  assert.ok(await eventually(() => replicaHas(id), 5000, 100));
});

test("replica pointed at another source: re-pointed, rows arrive", async () => {
  await onReplica("STOP REPLICA; CHANGE MASTER TO MASTER_HOST='192.0.2.99'; START REPLICA");
  const id = await postMessage("written while the replica pointed elsewhere");
  const repair = await converge("site", ["-l", "db-02"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.match(repair.output, /replicates from foobar_repl@192\.0\.2\.99:3306, expected foobar_repl@[\d.]+:3306 -> re-point/);
  assert.ok(await eventually(() => replicaHas(id), 5000, 100));
});

test("a conflicting write on the replica breaks the SQL thread: re-bootstrapped from a streamed dump", async () => {
  const next = Number(await onPrimary("SELECT COALESCE(MAX(id), 0) + 1 FROM foobar.messages"));
  await onReplica(`SET SESSION sql_log_bin=0; INSERT INTO foobar.messages (id, author, text) VALUES (${next}, 'rogue', 'conflict')`);
  const id = await postMessage("conflicts with the rogue row");
  assert.is(id, next);
  assert.ok(await eventually(async () => /Last_SQL_Errno: [1-9]/.test(await mustOnHost("db-02", "mariadb -e 'SHOW REPLICA STATUS\\G'")), 5000, 100), "the SQL thread stopped on the conflict");
  const repair = await converge("site", ["-l", "db-02"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.match(repair.output, /SQL thread stopped with error 1062/);
  assert.ok(await eventually(async () => (await onReplica(`SELECT text FROM foobar.messages WHERE id=${id}`)).trim() === "conflicts with the rogue row", 5000, 100));
  assert.is((await converge("site", ["-l", "db-02"])).changed, 0);
});

test("drift: a dropped grant of the app account is restored", async () => {
  const web = host("web-01").privateAddress;
  await onPrimary(`SET SESSION sql_log_bin=0; REVOKE INSERT ON foobar.* FROM 'foobar_app'@'${web}'`);
  const repair = await converge("site", ["-l", "db-01"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(repair.changedTasks, [`db-01: db-user:foobar_app@${web}`]);
  assert.match(await onPrimary(`SHOW GRANTS FOR 'foobar_app'@'${web}'`), /INSERT/);
});

test("backup: the timer's service dumps the replica; the latest backup restores with the same row counts", async () => {
  assert.match(await mustOnHost("db-02", "systemctl is-enabled foobar-db-backup.timer; systemctl is-active foobar-db-backup.timer"), /enabled\nactive/);
  await mustOnHost("db-02", "systemctl start foobar-db-backup.service");
  const latest = (await mustOnHost("db-02", "ls -1t /var/backups/foobar-db/foobar-*.sql.gz | head -1")).trim();
  await mustOnHost("db-02", `mariadb -e 'DROP DATABASE IF EXISTS foobar_restore_test; CREATE DATABASE foobar_restore_test' && zcat ${latest} | mariadb foobar_restore_test`);
  const restored = await onReplica("SELECT COUNT(*) FROM foobar_restore_test.messages");
  const source = await onReplica("SELECT COUNT(*) FROM foobar.messages");
  assert.is(restored.trim(), source.trim());
  assert.ok(Number(source) >= 3);
  await onReplica("DROP DATABASE foobar_restore_test");
});

test("no password in any output: --diff, --json, -vv, the runner's process list, the test log", async () => {
  const seen: string[] = [];
  const sampler = setInterval(() => {
    const ps = spawn(tool("ps"), ["-eo", "args"]);
    let out = "";
    ps.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    ps.on("close", () => seen.push(out));
  }, 20);
  await onReplica("STOP REPLICA");
  await mustOnHost("web-01", "sed -i 's/^DB_PASSWORD=.*/DB_PASSWORD=drifted/' /etc/foobar/app.env");
  const outputs = [await converge("site", ["--check", "--diff", "-vv"]), await converge("site", ["--diff", "-vv"]), await converge("site", ["--diff"])];
  clearInterval(sampler);
  assert.is(outputs[1]!.exitCode, 0, outputs[1]!.output);
  assert.ok(outputs[1]!.changedTasks.includes("db-02: db-replication"));
  const everything = [...outputs.map((result) => result.output), readFileSync(TEST_LOG, "utf8"), ...seen].join("\n");
  assert.ok(seen.length > 5, "the process list was sampled");
  for (const value of secrets()) assert.not.ok(everything.includes(value), "a secret value appeared in the output, the test log or the process list");
  assert.match(everything, /\*\*\*\*\*\*\*\*/);
});

test.run();
