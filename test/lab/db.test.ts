// Database tier on booted hosts: writes via the primary, reads from the read-only replica, replication that
// repairs itself (stopped, re-pointed, broken by a conflict), backups that restore, and no password anywhere.
import { DB, pastReadOnly, pointAt, replicaStatusCommand, shellPastReadOnly, sqlCommand } from "./db-flavor.ts";
import { spawn } from "node:child_process";
import { appendFileSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import {
  abWhile,
  converge,
  eventually,
  freshHosts,
  host,
  http,
  mustOnHost,
  onHost,
  SITE_URL,
  TARGET,
  historyText,
  TEST_LOG,
} from "./harness.ts";
import { tool } from "../../lab/requirements.ts";
import { capture } from "../../lab/run-command.ts";
import { siteAddress } from "../../lab/topology.ts";
import { withDecodedBase64 } from "../unit/support/base64-runs.ts";
import { DB_CA_FILE } from "../../roles/app/index.ts";

const SITE = SITE_URL;
/** Client options of a login from a web host: the servers require TLS, verified against the CA the app uses. */
const VERIFIED_TLS = `ssl-ca=${DB_CA_FILE}\nssl-verify-server-cert\n`;
const labSecrets = () =>
  JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>;
const secrets = () => Object.values(labSecrets());
const secretValue = (name: string) => labSecrets()[name]!;
const onReplica = (sql: string) => mustOnHost("db-02", sqlCommand(sql));
const onPrimary = (sql: string) => mustOnHost("db-01", sqlCommand(sql));

async function postMessage(text: string): Promise<number> {
  const reply = await http(`${SITE}api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ author: "lab-test", text }),
  });
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
  await mustOnHost(
    "web-01",
    "command -v mariadb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-client >/dev/null 2>&1",
  );
  const stored = JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>;
  const replica = host("db-02").privateAddress;
  for (const [user, secretName] of [
    ["foobar_read", "db_read_password"],
    ["foobar_app", "db_app_password"],
  ] as const) {
    // Credentials travel on stdin into a 0600 file on web-01: never on a command line.
    const options = `[client]\nuser=${user}\npassword=${stored[secretName]}\nhost=${replica}\n${VERIFIED_TLS}`;
    const result = await onHost(
      "web-01",
      `f=$(mktemp); cat > "$f"; mariadb --defaults-extra-file="$f" -e "INSERT INTO foobar.messages (author, text) VALUES ('x', 'y')"; rc=$?; rm -f "$f"; exit $rc`,
      options,
    );
    assert.is.not(result.code, 0, `${user} could write to the replica`);
    assert.match(result.stderr, /(denied|read-only|--read-only)/i, result.stderr);
  }
  const reads = await onHost(
    "web-01",
    `f=$(mktemp); cat > "$f"; mariadb --defaults-extra-file="$f" -NBe "SELECT COUNT(*) >= 1 FROM foobar.messages"; rc=$?; rm -f "$f"; exit $rc`,
    `[client]\nuser=foobar_read\npassword=${stored.db_read_password}\nhost=${replica}\n${VERIFIED_TLS}`,
  );
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
  await onReplica(`STOP REPLICA; ${pointAt("192.0.2.99")}; START REPLICA`);
  const id = await postMessage("written while the replica pointed elsewhere");
  const repair = await converge("site", ["-l", "db-02"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.match(
    repair.output,
    /replicates from foobar_repl@192\.0\.2\.99:3306, expected foobar_repl@[\d.]+:3306 -> re-point/,
  );
  assert.ok(await eventually(() => replicaHas(id), 5000, 100));
});

test("a conflicting write on the replica breaks the SQL thread: re-bootstrapped from a streamed dump", async () => {
  const next = Number(await onPrimary("SELECT COALESCE(MAX(id), 0) + 1 FROM foobar.messages"));
  await onReplica(
    pastReadOnly(
      `SET SESSION sql_log_bin=0; INSERT INTO foobar.messages (id, author, text) VALUES (${next}, 'rogue', 'conflict')`,
    ),
  );
  const id = await postMessage("conflicts with the rogue row");
  assert.is(id, next);
  assert.ok(
    await eventually(
      async () => /Last_SQL_Errno: [1-9]/.test(await mustOnHost("db-02", replicaStatusCommand)),
      5000,
      100,
    ),
    "the SQL thread stopped on the conflict",
  );
  const repair = await converge("site", ["-l", "db-02"]);
  assert.is(repair.exitCode, 0, repair.output);
  assert.match(repair.output, /SQL thread stopped with error 1062/);
  assert.ok(
    await eventually(
      async () =>
        (await onReplica(`SELECT text FROM foobar.messages WHERE id=${id}`)).trim() === "conflicts with the rogue row",
      5000,
      100,
    ),
  );
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
  assert.match(
    await mustOnHost(
      "db-02",
      "systemctl is-enabled foobar-db-backup.timer; systemctl is-active foobar-db-backup.timer",
    ),
    /enabled\nactive/,
  );
  await mustOnHost("db-02", "systemctl start foobar-db-backup.service");
  const latest = (await mustOnHost("db-02", "ls -1t /var/backups/foobar-db/foobar-*.sql.gz | head -1")).trim();
  // Out of the replica's binary log: its own transactions would put its GTIDs ahead of the primary's (strict mode stops replication).
  await mustOnHost(
    "db-02",
    shellPastReadOnly(
      `${DB.client} -e 'SET SESSION sql_log_bin=0; DROP DATABASE IF EXISTS foobar_restore_test; CREATE DATABASE foobar_restore_test' && { echo 'SET SESSION sql_log_bin=0;'; zcat ${latest}; } | ${DB.client} foobar_restore_test`,
    ),
  );
  const restored = await onReplica("SELECT COUNT(*) FROM foobar_restore_test.messages");
  const source = await onReplica("SELECT COUNT(*) FROM foobar.messages");
  assert.is(restored.trim(), source.trim());
  assert.ok(Number(source) >= 3);
  await onReplica(pastReadOnly("SET SESSION sql_log_bin=0; DROP DATABASE foobar_restore_test"));
});

/** `npx tsx playbooks/secrets.ts ARGS -i <target>` as an operator types it; its output goes to the test log too. */
async function secretsCommand(args: string[]): Promise<{ code: number; output: string }> {
  const result = await capture(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "playbooks/secrets.ts"), ...args, "-i", TARGET],
    { cwd: REPO_ROOT },
  );
  appendFileSync(TEST_LOG, `$ secrets.ts ${args.join(" ")}\n${result.stdout}\n${result.stderr}\n`);
  return { code: result.code ?? 1, output: `${result.stdout}\n${result.stderr}` };
}

/** Log in to the primary as the app from a web host with `password` (sent on stdin, never on a command line): the client's exit code. */
async function appLogin(web: string, password: string): Promise<{ code: number; output: string }> {
  const result = await onHost(
    web,
    `read -r pw; MYSQL_PWD="$pw" mariadb --ssl-ca=${DB_CA_FILE} --ssl-verify-server-cert -h ${host("db-01").privateAddress} -u foobar_app -e 'SELECT 1' foobar`,
    `${password}\n`,
  );
  return { code: result.code ?? 1, output: result.stderr };
}

/** `ps -eo args` on this machine (where the runner runs) every 20 ms, until stopped. */
function sampleLocalProcessList(): { stop: () => string[] } {
  const seen: string[] = [];
  const sampler = setInterval(() => {
    const ps = spawn(tool("ps"), ["-eo", "args"]);
    let out = "";
    ps.stdout.on("data", (chunk: Buffer) => (out += chunk.toString()));
    ps.on("close", () => seen.push(out));
  }, 20);
  return {
    stop: () => {
      clearInterval(sampler);
      return seen;
    },
  };
}

/** `ps -eo args` of each host, every 300 ms, until stopped. */
function sampleProcessLists(hosts: string[]): { stop: () => Promise<string[]> } {
  const seen: string[] = [];
  let stopped = false;
  const loops = hosts.map(async (name) => {
    while (!stopped) {
      seen.push((await onHost(name, "ps -eo args")).stdout);
      await new Promise((resolveTimer) => setTimeout(resolveTimer, 300));
    }
  });
  return {
    stop: async () => {
      stopped = true;
      await Promise.all(loops);
      return seen;
    },
  };
}

test("rotate db_app_password under ab -k -c 50 and writes: 0 failed; the old password refused, the new one works from both web hosts; 0 changed after; the value nowhere", async () => {
  for (const web of ["web-01", "web-02"])
    await mustOnHost(
      web,
      "command -v mariadb >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -q mariadb-client >/dev/null 2>&1",
    );
  const before = secretValue("db_app_password");
  const hostLists = sampleProcessLists(["db-01", "web-01"]);
  const localLists = sampleLocalProcessList();
  let writing = true;
  let writesSent = 0;
  const writeFailures: string[] = [];
  const writes = (async () => {
    for (; writing && writesSent < 2000; writesSent++) {
      const sent = writesSent;
      const reply = await http(`${SITE}api/messages`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ author: "rotation", text: `during rotation ${sent}` }),
      }).catch((error: Error) => ({ status: 0, body: error.message }));
      if (reply.status !== 201) writeFailures.push(`${reply.status} ${reply.body}`);
    }
  })();
  const rotations: Array<{ code: number; output: string }> = [];
  const rotating = (async () => {
    rotations.push(await secretsCommand(["rotate", "db_app_password", "-vv"]));
    rotations.push(await secretsCommand(["rotate", "db_app_password", "--json"]));
  })();
  const totals = await abWhile(`https://${siteAddress()}/api/messages`, rotating, {
    concurrency: 50,
    batchSize: 1000,
    keepAlive: true,
  });
  writing = false;
  await writes;
  const processLists = [...(await hostLists.stop()), ...localLists.stop()];
  console.log(
    `  two rotations under load: ${totals.completed} requests by ab -k -c 50 (${totals.failed + totals.non2xx} failed), ${writesSent} writes (${writeFailures.length} failed)`,
  );
  for (const rotation of rotations) assert.is(rotation.code, 0, rotation.output);
  assert.match(rotations[0]!.output, /db_app_password: rotated/);
  assert.ok(totals.completed > 0, "ab ran during the rotation");
  assert.is(
    totals.failed + totals.non2xx,
    0,
    `ab: ${totals.failed} failed, ${totals.non2xx} non-2xx of ${totals.completed}`,
  );
  assert.equal(writeFailures, [], "no write failed");

  const after = secretValue("db_app_password");
  assert.is.not(after, before);
  for (const web of ["web-01", "web-02"]) {
    const old = await appLogin(web, before);
    assert.is.not(old.code, 0, `${web}: the old password still logs in`);
    assert.match(old.output, /Access denied/);
    const current = await appLogin(web, after);
    assert.is(current.code, 0, `${web}: the new password is refused: ${current.output}`);
  }
  const next = await converge("site");
  assert.is(next.exitCode, 0, next.output);
  assert.is(next.changed, 0, next.changedTasks.join("\n"));

  const journals = await Promise.all(
    ["db-01", "web-01", "web-02"].map((name) =>
      onHost(
        name,
        'f=$(mktemp); cat > "$f"; journalctl --no-pager -q --since \'-10 min\' | grep -c -F -f "$f"; rm -f "$f"',
        `${before}\n${after}\n`,
      ),
    ),
  );
  for (const journal of journals) assert.is(journal.stdout.trim(), "0", "a password value is in a host's journal");
  const everything = withDecodedBase64(
    [
      ...rotations.map((rotation) => rotation.output),
      next.output,
      readFileSync(TEST_LOG, "utf8"),
      historyText(),
      ...processLists,
    ].join("\n"),
  );
  assert.ok(processLists.length > 10, "the process lists were sampled");
  for (const value of [before, after])
    assert.not.ok(
      everything.includes(value),
      "a password value appeared (plain or base64) in the output, the test log, the run history or a process list",
    );
});

test("no password in any output: --diff, --json, -vv, the runner's process list, the test log", async () => {
  const sampler = sampleLocalProcessList();
  await onReplica("STOP REPLICA");
  await mustOnHost("web-01", "sed -i 's/^DB_PASSWORD=.*/DB_PASSWORD=drifted/' /etc/foobar/app.env");
  const outputs = [
    await converge("site", ["--check", "--diff", "-vv"]),
    await converge("site", ["--diff", "-vv"]),
    await converge("site", ["--diff"]),
  ];
  const seen = sampler.stop();
  assert.is(outputs[1]!.exitCode, 0, outputs[1]!.output);
  assert.ok(outputs[1]!.changedTasks.includes("db-02: db-replication"));
  const everything = withDecodedBase64(
    [...outputs.map((result) => result.output), readFileSync(TEST_LOG, "utf8"), historyText(), ...seen].join("\n"),
  );
  assert.ok(seen.length > 5, "the process list was sampled");
  for (const value of secrets())
    assert.not.ok(
      everything.includes(value),
      "a secret value appeared (plain or base64) in the output, the test log, the run history or the process list",
    );
  assert.match(everything, /\*\*\*\*\*\*\*\*/);
});

test.run();
