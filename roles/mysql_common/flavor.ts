// MySQL (8.0.26 and later, 9.x included) vs MariaDB (10.5.9 and later): every difference the database roles care about,
// the flavour chosen by the roles' `db_engine`; what differs between releases of one engine is probed on the host.
import { sqlString } from "./sql.ts";

export const DB_ENGINES = ["mariadb", "mysql"] as const;
export type DbEngine = (typeof DB_ENGINES)[number];

export interface DbFlavor {
  name: DbEngine;
  /** In words, for messages. */
  label: string;
  serverPackage: string;
  /** The oldest server release whose statements and settings the roles use (see each field). */
  minimumVersion: string;
  service: string;
  /** Client run as root over the unix socket (root authenticates by socket on both). */
  client: string;
  /** `client` for the read-only probes, without TLS: a local socket carries nothing TLS protects, and MariaDB 11's
   *  client negotiates TLS by default (45–80 ms per probe session on a lab host, 27 without). */
  probeClient: string;
  dump: string;
  /** Drop-in directory for the server configuration. */
  configDir: string;
  /** Starts the roles' drop-in names so they are read after the package's own (later files win): MySQL's mysqld.cnf
   *  sets bind-address = 127.0.0.1, MariaDB's is 50-server.cnf. */
  dropInPrefix: string;
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
  /** Shell text: before importing a dump that sets the GTID position, the replica's own binary log must not hold
   *  newer GTIDs. MySQL 8.4 removed RESET MASTER for RESET BINARY LOGS AND GTIDS (8.2+): chosen by the server's version. */
  resetBeforeImport: string;
  /** How an account's password is given in CREATE / ALTER USER (MySQL names caching_sha2_password: 9.x has no other). */
  identifiedBy(password: string): string;
  /** The account's authentication plugin, when the flavour checks it (an account left on another is re-created on it). */
  passwordPlugin?: string;
  dumpOptions: string[];
  /** Options of the replica's nightly backup dump besides the common ones (a backup restores into any database). */
  backupDumpOptions: string[];
  /** Shell text printing the dump options the installed dump tool needs besides those (probed from its --help). */
  probedDumpOptions: string;
  /** Statements around the import of a bootstrap dump as root on a read-only replica: MySQL's super_read_only binds
   *  root too, MariaDB's read_only does not bind root. */
  rootWrites: { allow: string; end: string };
  /** How the roles compare a declared password with the account's (see password-check.ts). */
  passwordCheck: "native-hash" | "fingerprint-file";
}

export const MARIADB: DbFlavor = {
  name: "mariadb",
  label: "MariaDB",
  serverPackage: "mariadb-server",
  // SHOW REPLICA STATUS (10.5.1), the BINLOG MONITOR (10.5.2) and SLAVE MONITOR (10.5.9) privileges.
  minimumVersion: "10.5.9",
  service: "mariadb",
  client: "mariadb",
  probeClient: "mariadb --skip-ssl",
  dump: "mariadb-dump",
  configDir: "/etc/mysql/mariadb.conf.d",
  dropInPrefix: "",
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
  resetBeforeImport: "mariadb --batch -e 'RESET MASTER'",
  identifiedBy: (password) => `IDENTIFIED BY ${sqlString(password)}`,
  dumpOptions: [
    "--single-transaction",
    "--gtid",
    "--master-data=1",
    "--add-drop-database",
    "--routines",
    "--events",
    "--triggers",
  ],
  backupDumpOptions: [],
  probedDumpOptions: "",
  rootWrites: { allow: "", end: "" },
  passwordCheck: "native-hash",
};

export const MYSQL: DbFlavor = {
  name: "mysql",
  label: "MySQL",
  serverPackage: "mysql-server",
  // CHANGE REPLICATION SOURCE TO (8.0.23), log_replica_updates and mysqldump --source-data (8.0.26).
  minimumVersion: "8.0.26",
  service: "mysql",
  client: "mysql",
  probeClient: "mysql --ssl-mode=DISABLED",
  dump: "mysqldump",
  configDir: "/etc/mysql/mysql.conf.d",
  dropInPrefix: "z",
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
  resetBeforeImport: [
    `case "$(mysql --batch --skip-column-names -e 'SELECT VERSION()')" in`,
    `  8.0.*|8.1.*) mysql --batch -e 'RESET MASTER' ;;`,
    `  *) mysql --batch -e 'RESET BINARY LOGS AND GTIDS' ;;`,
    "esac",
  ].join("\n"),
  identifiedBy: (password) => `IDENTIFIED WITH caching_sha2_password BY ${sqlString(password)}`,
  passwordPlugin: "caching_sha2_password",
  dumpOptions: [
    "--single-transaction",
    "--set-gtid-purged=ON",
    "--source-data=1",
    "--add-drop-database",
    "--routines",
    "--events",
    "--triggers",
    // Tablespaces are the server's own (and reading them needs PROCESS, which the replication account lacks).
    "--no-tablespaces",
  ],
  // Without SET @@GLOBAL.GTID_PURGED: restoring a backup must not touch the server's GTID state.
  backupDumpOptions: ["--set-gtid-purged=OFF"],
  // mysqldump 9.x also dumps masking policies, from a 9.x-only table the replication account cannot read: they are
  // the primary's own, like its accounts. 8.0's mysqldump has no such option (and refuses unknown ones).
  probedDumpOptions: "mysqldump --help 2>/dev/null | grep -q -e '--masking-policies' && echo --skip-masking-policies",
  rootWrites: { allow: "SET GLOBAL super_read_only = OFF;", end: "SET GLOBAL super_read_only = ON;" },
  passwordCheck: "fingerprint-file",
};

/** The flavour of the engine the roles' `db_engine` names. */
export function flavorOf(engine: DbEngine): DbFlavor {
  return engine === "mysql" ? MYSQL : MARIADB;
}
