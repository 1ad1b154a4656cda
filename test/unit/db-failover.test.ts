// Failover of both flavours from recorded / realistic output: GTID gaps, server state, fence and promote statements,
// a former primary's rejoin, the topology guard and the hosts.ts swap.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseMarker, renderMarker } from "../../roles/mysql_common/failover-marker.ts";
import {
  fenceScript,
  parseServerState,
  promoteScript,
  waitForGtidsScript,
  waited,
} from "../../roles/mysql_common/failover-sql.ts";
import { MARIADB, MYSQL } from "../../roles/mysql_common/flavor.ts";
import { gtidGap } from "../../roles/mysql_common/gtid.ts";
import { decide, replication } from "../../roles/mysql_common/replication-resource.ts";
import { serverConfig } from "../../roles/mysql_common/server-config.ts";
import { topologyGuard } from "../../roles/mysql_common/topology-guard-resource.ts";
import { hostsTsChange, swapDbGroups } from "../../roles/mysql_common/topology-swap.ts";
import { DB_02 } from "./support/db-server.ts";

const fixture = (name: string) => readFileSync(join(import.meta.dirname, "fixtures", "mysql", name), "utf8");
const decode = (script: string) =>
  [...script.matchAll(/<<'__FOOBAR_B64__'[^\n]*\n([\s\S]*?)__FOOBAR_B64__/g)]
    .map((match) => Buffer.from(match[1]!.replace(/\n/g, ""), "base64").toString())
    .join("\n");
const source = {
  host: "10.0.0.22",
  port: 3306,
  user: "foobar_repl",
  password: "s3cr3t-Pa55",
  caFile: "/etc/mysql/tls/ca.pem",
  databases: ["foobar"],
};
const UUID_A = "6d3c1f0e-8a4b-11ef-9c4a-525400123456";
const UUID_B = "9b2e44a1-8a4b-11ef-8d21-525400654321";

test("MariaDB GTID gap: per domain, sequence numbers (gtid_strict_mode)", () => {
  assert.equal(gtidGap(MARIADB, "0-14869-120", "0-14869-117"), {
    transactions: 3,
    description: "domain 0: 3 (0-14869-117 of 0-14869-120)",
  });
  assert.equal(gtidGap(MARIADB, "0-14869-120,1-14869-4", "0-14870-121"), {
    transactions: 4,
    description: "domain 1: 4 (none of 1-14869-4)",
  });
  assert.is(gtidGap(MARIADB, "0-14869-120", "0-14869-120").transactions, 0);
  assert.throws(() => gtidGap(MARIADB, "garbage", ""), /not a MariaDB GTID/);
});

test("MySQL 8 GTID gap: uuid interval sets (multi-line, as gtid_executed prints them) subtracted", () => {
  const primary = `${UUID_A}:1-12:15,\n${UUID_B}:1-2`;
  assert.equal(gtidGap(MYSQL, primary, `${UUID_A}:1-9,\n${UUID_B}:1-2`), {
    transactions: 4,
    description: `${UUID_A}:10-12:15 (4)`,
  });
  assert.equal(gtidGap(MYSQL, primary, `${UUID_A}:1-15,${UUID_B}:1-2`), { transactions: 0, description: "" });
  assert.is(gtidGap(MYSQL, `${UUID_B}:1-2`, "").transactions, 2);
});

test("server state: MariaDB Gtid_IO_Pos, MySQL multi-line Retrieved_Gtid_Set; a server that does not answer", () => {
  const mariadb = parseServerState(MARIADB, fixture("mariadb-server-state-replica.txt"));
  assert.equal(
    [
      mariadb.answers,
      mariadb.executedGtids,
      mariadb.readOnly,
      mariadb.receivedGtids,
      mariadb.replica.sourceHost,
      mariadb.replica.lagSeconds,
    ],
    [true, "0-14869-41", true, "0-14869-44", "192.168.58.21", 0],
  );
  const mysql = parseServerState(MYSQL, fixture("mysql8-server-state-replica.txt"));
  assert.is(mysql.executedGtids, `${UUID_A}:1-9,${UUID_B}:1-2`);
  assert.is(mysql.receivedGtids, `${UUID_A}:5-12,${UUID_B}:1-2`);
  assert.equal([mysql.replica.ioRunning, mysql.replica.sqlRunning, mysql.replica.lagSeconds], ["Yes", "No", null]);
  assert.equal(gtidGap(MYSQL, mysql.receivedGtids, mysql.executedGtids).description, `${UUID_A}:10-12 (3)`);
  const down = parseServerState(MARIADB, "Executed_Gtids: unknown (the server does not answer)\n");
  assert.equal([down.answers, down.executedGtids, down.replica.configured], [false, "", false]);
});

test("fence, wait and promote speak each flavour: read_only vs super_read_only, MASTER_GTID_WAIT vs WAIT_FOR_EXECUTED_GTID_SET", () => {
  const mariadbFence = fenceScript(MARIADB, true);
  assert.match(
    decode(mariadbFence),
    /^SET GLOBAL read_only = ON;\n# Written by playbooks\/failover\.ts.*\n\[mysqld\]\nread_only = ON\n$/,
  );
  assert.match(mariadbFence, /> \/etc\/mysql\/mariadb\.conf\.d\/61-foobar-fenced\.cnf/);
  assert.not.match(
    decode(fenceScript(MARIADB, false)),
    /SET GLOBAL/,
    "a server that does not answer is fenced in its config only",
  );
  assert.match(
    decode(fenceScript(MYSQL, true)),
    /^SET GLOBAL super_read_only = ON;\n[\s\S]*read_only = ON\nsuper_read_only = ON\n$/,
  );
  assert.match(fenceScript(MYSQL, true), /\/etc\/mysql\/mysql\.conf\.d\/z61-foobar-fenced\.cnf/);
  assert.is(decode(promoteScript(MARIADB)), "STOP REPLICA; RESET REPLICA ALL;\nSET GLOBAL read_only = OFF;");
  assert.match(promoteScript(MYSQL), /rm -f \/etc\/mysql\/mysql\.conf\.d\/z61-foobar-fenced\.cnf/);
  assert.is(decode(waitForGtidsScript(MARIADB, "0-14869-44", 30)), "SELECT MASTER_GTID_WAIT('0-14869-44', 30);");
  assert.is(
    decode(waitForGtidsScript(MYSQL, `${UUID_A}:1-12`, 30)),
    `SELECT WAIT_FOR_EXECUTED_GTID_SET('${UUID_A}:1-12', 30);`,
  );
  assert.ok(waited("MASTER_GTID_WAIT('0-14869-44', 30)\n0\n"));
  assert.not.ok(waited("MASTER_GTID_WAIT('0-14869-44', 30)\n-1\n"));
  assert.not.ok(waited("WAIT_FOR_EXECUTED_GTID_SET('x', 30)\n1\n"));
});

test("server config keeps replicated transactions in the binary log (a promoted replica serves its old primary by GTID)", () => {
  const options = { ...DB_02, role: "replica" as const };
  assert.match(serverConfig(MARIADB, options), /log_slave_updates = ON/);
  assert.match(serverConfig(MYSQL, options), /log_replica_updates = ON/);
});

test("a former primary (no replication, GTIDs of its own) rejoins by GTID; a fresh server is bootstrapped", () => {
  const resource = replication(MARIADB, source);
  const former = resource.parse("Own_Gtids\n0-14869-57\n", 0);
  assert.equal(decide(former, source), {
    kind: "rejoin",
    why: "not replicating, but holds transactions (0-14869-57): a former primary",
  });
  assert.match(
    resource.plan(former, { diff: false })[0]!.summary,
    /-> rejoin by GTID \(re-seeded from a dump of the primary if it holds transactions the primary lacks\)$/,
  );
  assert.equal(decide(resource.parse("Own_Gtids\n\n", 0), source).kind, "bootstrap");
  const mariadb = resource.apply(former);
  assert.match(
    decode(mariadb),
    /SET GLOBAL gtid_slave_pos = @@GLOBAL\.gtid_binlog_pos;\n[\s\S]*CHANGE MASTER TO MASTER_HOST='10\.0\.0\.22'.*MASTER_USE_GTID=slave_pos/,
  );
  assert.match(mariadb, /rejoin by GTID refused .*: re-seeding from a dump of 10\.0\.0\.22" >&2; bootstrap/);
  assert.not.match(
    mariadb,
    /GTID_SUBTRACT/,
    "MariaDB's gtid_strict_mode makes the primary refuse a diverged replica itself",
  );
  const mysql = replication(MYSQL, source).apply(replication(MYSQL, source).parse(`Own_Gtids\n${UUID_A}:1-57\n`, 0));
  assert.match(
    mysql,
    /errant=\$\(mysql --batch --skip-column-names -e "SELECT GTID_SUBTRACT\(@@GLOBAL\.gtid_executed, '\$primary_gtids'\)"\)/,
  );
  assert.not.match(decode(mysql), /gtid_slave_pos/);
  assert.not.ok(mysql.includes("s3cr3t-Pa55"), "plain password in the script");
});

test("topology guard: refuses (and --check names) an inventory primary other than the marker's; quiet otherwise", () => {
  const marker = parseMarker(
    renderMarker({ primary: "db-02", primaryAddress: "10.0.0.22", previous: "db-01", at: "2026-11-25T23:00:00.000Z" }),
  );
  assert.equal(marker, {
    primary: "db-02",
    primaryAddress: "10.0.0.22",
    previous: "db-01",
    at: "2026-11-25T23:00:00.000Z",
  });
  const stale = topologyGuard({
    role: "mysql_replica",
    host: "db-02",
    primaryAddress: "10.0.0.21",
    wouldUndo: "turn it back into a replica of db-01",
  });
  const [change] = stale.plan(marker, { diff: false });
  assert.match(
    change!.summary,
    /^topology mismatch: failover\.ts promoted db-02 \(10\.0\.0\.22\) .* replacing db-01, but the inventory names 10\.0\.0\.21 as db_primary; db-02 \(role mysql_replica\) refuses to turn it back into a replica of db-01\. Swap db_primary and db_replica in hosts\.ts \(db_primary: db-02\)/,
  );
  assert.match(stale.apply(marker), /exit 1$/);
  assert.equal(stale.plan(undefined, { diff: false }), [], "no failover happened here");
  assert.equal(
    topologyGuard({ role: "app", host: "web-01", primaryAddress: "10.0.0.22", wouldUndo: "x" }).plan(marker, {
      diff: false,
    }),
    [],
  );
  assert.is(parseMarker(""), undefined);
});

test("the hosts.ts swap: printed as the exact groups lines, and as an inventory for the failover's steps", () => {
  assert.is(
    hostsTsChange({ primary: ["db-01"], replicas: ["db-02"] }, "db-02"),
    [
      '-  db_primary: { hosts: ["db-01"] },',
      '-  db_replica: { hosts: ["db-02"] },',
      '+  db_primary: { hosts: ["db-02"] },',
      '+  db_replica: { hosts: ["db-01"] },',
    ].join("\n"),
  );
  const spec = {
    environments: {
      lab: {
        hosts: {},
        groups: {
          web: { hosts: ["web-01"] },
          db_primary: { hosts: ["db-01"] },
          db_replica: { hosts: ["db-02", "db-03"] },
        },
      },
    },
  };
  assert.equal(swapDbGroups(spec, "lab", "db-03").environments.lab!.groups, {
    web: { hosts: ["web-01"] },
    db_primary: { hosts: ["db-03"] },
    db_replica: { hosts: ["db-01", "db-02"] },
  });
  assert.equal(spec.environments.lab.groups.db_primary.hosts, ["db-01"], "the original inventory is left alone");
});

test.run();
