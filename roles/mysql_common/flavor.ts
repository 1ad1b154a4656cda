// MySQL 8 (Ubuntu 24.04) vs MariaDB 10.11 (Debian 12): every difference the database roles care about, chosen by facts.
import type { HostFacts } from "../../lib/facts/host.ts";
import { sqlString } from "./sql.ts";

export interface DbFlavor {
  name: "mariadb" | "mysql";
  serverPackage: string;
  service: string;
  /** Client run as root over the unix socket (root authenticates by socket on both). */
  client: string;
  dump: string;
  /** Drop-in directory for the server configuration. */
  configDir: string;
  /** SHOW REPLICA STATUS column names. */
  columns: {
    ioRunning: string;
    sqlRunning: string;
    sourceHost: string;
    sourcePort: string;
    sourceUser: string;
    lag: string;
    gtid: string;
    /** TLS to the source: "Yes" when on, the CA file, "Yes" when the source's certificate and name are verified. */
    ssl: string;
    sslCa: string;
    sslVerify: string;
  };
  /** Value of `columns.gtid` when the replica uses GTID positioning. */
  gtidOn: string;
  /** Privilege names as SHOW GRANTS prints them. */
  privileges: { binlogMonitor: string; replicaMonitor: string };
  superReadOnly: boolean;
  /** Server settings that turn GTID replication on (MySQL needs them; MariaDB always has GTIDs), with replicated
   *  transactions kept in the replica's own binary log: a promoted replica can then serve its old primary by GTID. */
  gtidSettings: string[];
  /** SET GLOBAL statements making the server read-only (on) or writable (off) for everyone but replication. */
  setReadOnly(on: boolean): string;
  /** Expression of every GTID the server has executed (its own and replicated ones). */
  executedGtids: string;
  /** SHOW REPLICA STATUS column: GTIDs received from the source (applied or still in the relay log). */
  receivedGtidsColumn: string;
  /** SQL returning 0 once `gtids` are applied, non-zero (or NULL) after `seconds`. */
  waitForGtids(gtids: string, seconds: number): string;
  /** Before a former primary first replicates: its replication position starts at what its binary log holds. */
  adoptOwnPosition: string;
  /** SQL printing the GTIDs of `mine` missing from `theirs` — when the server itself does not refuse a replica that
   *  holds transactions its source lacks (MySQL only checks the source's own UUID; MariaDB's gtid_strict_mode refuses). */
  subtractGtids?: (mine: string, theirs: string) => string;
  /** Points replication at a source over TLS, the source's certificate verified against `caFile` and its name. */
  changeSource(host: string, port: number, user: string, password: string, caFile: string): string;
  /** [client] option lines: TLS to the server, its certificate verified against `caFile` and its name. */
  clientTls(caFile: string): string[];
  /** Reloads the server's certificate, key and CA from its files, without a restart. */
  reloadTls: string;
  resetReplica: string;
  /** Before importing a dump that sets the GTID position: the replica's own binary log must not hold newer GTIDs. */
  resetBeforeImport: string;
  dumpOptions: string[];
  /** How the roles compare a declared password with the account's (see password-check.ts). */
  passwordCheck: "native-hash" | "fingerprint-file";
}

export const MARIADB: DbFlavor = {
  name: "mariadb",
  serverPackage: "mariadb-server",
  service: "mariadb",
  client: "mariadb",
  dump: "mariadb-dump",
  configDir: "/etc/mysql/mariadb.conf.d",
  columns: {
    ioRunning: "Slave_IO_Running",
    sqlRunning: "Slave_SQL_Running",
    sourceHost: "Master_Host",
    sourcePort: "Master_Port",
    sourceUser: "Master_User",
    lag: "Seconds_Behind_Master",
    gtid: "Using_Gtid",
    ssl: "Master_SSL_Allowed",
    sslCa: "Master_SSL_CA_File",
    sslVerify: "Master_SSL_Verify_Server_Cert",
  },
  gtidOn: "Slave_Pos",
  privileges: { binlogMonitor: "BINLOG MONITOR", replicaMonitor: "SLAVE MONITOR" },
  superReadOnly: false,
  gtidSettings: ["gtid_strict_mode = ON", "log_slave_updates = ON"],
  setReadOnly: (on) => `SET GLOBAL read_only = ${on ? "ON" : "OFF"};`,
  executedGtids: "@@GLOBAL.gtid_current_pos",
  receivedGtidsColumn: "Gtid_IO_Pos",
  waitForGtids: (gtids, seconds) => `SELECT MASTER_GTID_WAIT(${sqlString(gtids)}, ${seconds})`,
  adoptOwnPosition: "SET GLOBAL gtid_slave_pos = @@GLOBAL.gtid_binlog_pos;",
  changeSource: (host, port, user, password, caFile) =>
    `CHANGE MASTER TO MASTER_HOST=${sqlString(host)}, MASTER_PORT=${port}, MASTER_USER=${sqlString(user)}, MASTER_PASSWORD=${sqlString(password)}, MASTER_USE_GTID=slave_pos, MASTER_SSL=1, MASTER_SSL_CA=${sqlString(caFile)}, MASTER_SSL_VERIFY_SERVER_CERT=1`,
  clientTls: (caFile) => ["ssl", `ssl-ca=${caFile}`, "ssl-verify-server-cert"],
  reloadTls: "FLUSH SSL",
  resetReplica: "STOP REPLICA; RESET REPLICA ALL;",
  resetBeforeImport: "RESET MASTER;",
  dumpOptions: [
    "--single-transaction",
    "--gtid",
    "--master-data=1",
    "--add-drop-database",
    "--routines",
    "--events",
    "--triggers",
  ],
  passwordCheck: "native-hash",
};

export const MYSQL: DbFlavor = {
  name: "mysql",
  serverPackage: "mysql-server",
  service: "mysql",
  client: "mysql",
  dump: "mysqldump",
  configDir: "/etc/mysql/mysql.conf.d",
  columns: {
    ioRunning: "Replica_IO_Running",
    sqlRunning: "Replica_SQL_Running",
    sourceHost: "Source_Host",
    sourcePort: "Source_Port",
    sourceUser: "Source_User",
    lag: "Seconds_Behind_Source",
    gtid: "Auto_Position",
    ssl: "Source_SSL_Allowed",
    sslCa: "Source_SSL_CA_File",
    sslVerify: "Source_SSL_Verify_Server_Cert",
  },
  gtidOn: "1",
  privileges: { binlogMonitor: "REPLICATION CLIENT", replicaMonitor: "REPLICATION CLIENT" },
  superReadOnly: true,
  gtidSettings: ["gtid_mode = ON", "enforce_gtid_consistency = ON", "log_replica_updates = ON"],
  // super_read_only implies read_only; turning read_only off also turns super_read_only off.
  setReadOnly: (on) => (on ? "SET GLOBAL super_read_only = ON;" : "SET GLOBAL read_only = OFF;"),
  executedGtids: "@@GLOBAL.gtid_executed",
  receivedGtidsColumn: "Retrieved_Gtid_Set",
  // WAIT_FOR_EXECUTED_GTID_SET: 0 when applied, 1 on timeout.
  waitForGtids: (gtids, seconds) => `SELECT WAIT_FOR_EXECUTED_GTID_SET(${sqlString(gtids)}, ${seconds})`,
  adoptOwnPosition: "",
  subtractGtids: (mine, theirs) => `SELECT GTID_SUBTRACT(${mine}, ${theirs})`,
  changeSource: (host, port, user, password, caFile) =>
    `CHANGE REPLICATION SOURCE TO SOURCE_HOST=${sqlString(host)}, SOURCE_PORT=${port}, SOURCE_USER=${sqlString(user)}, SOURCE_PASSWORD=${sqlString(password)}, SOURCE_AUTO_POSITION=1, SOURCE_SSL=1, SOURCE_SSL_CA=${sqlString(caFile)}, SOURCE_SSL_VERIFY_SERVER_CERT=1`,
  clientTls: (caFile) => ["ssl-mode=VERIFY_IDENTITY", `ssl-ca=${caFile}`],
  reloadTls: "ALTER INSTANCE RELOAD TLS",
  resetReplica: "STOP REPLICA; RESET REPLICA ALL;",
  resetBeforeImport: "RESET MASTER;",
  dumpOptions: [
    "--single-transaction",
    "--set-gtid-purged=ON",
    "--source-data=1",
    "--add-drop-database",
    "--routines",
    "--events",
    "--triggers",
  ],
  passwordCheck: "fingerprint-file",
};

/** Debian ships MariaDB, Ubuntu MySQL 8; anything else is refused with the host's OS named. */
export function flavorOf(facts: HostFacts): DbFlavor {
  if (facts.os.id === "debian") return MARIADB;
  if (facts.os.id === "ubuntu") return MYSQL;
  throw new Error(`no database flavour for ${facts.os.pretty || facts.os.id} (Debian → MariaDB, Ubuntu → MySQL 8)`);
}
