// The server's replication settings as one drop-in file (server id, bind address, binary log, GTIDs, read-only),
// and which of them a running server can change (SET GLOBAL): those are also checked live (runtime-settings-resource.ts).
import type { DbFlavor } from "./flavor.ts";
import { tlsSettings } from "./tls.ts";

export interface ServerConfigOptions {
  role: "primary" | "replica";
  hostName: string;
  serverId: number;
  bindAddress: string;
  binlogExpireDays: number;
  maxConnections: number;
}

/** One `name = value` line of the drop-in. */
export interface ServerSetting {
  name: string;
  value: string;
}

/**
 * Settings a running server cannot change, or must not be changed live by a converge: read at start only
 * (bind_address, skip_name_resolve, log_bin, relay_log, log_slave_updates / log_replica_updates), or, for MySQL's
 * gtid_mode, changeable only one step at a time (OFF → OFF_PERMISSIVE → ON_PERMISSIVE → ON) with replication's
 * cooperation. They can only differ from the file after it changed, and service-fresh restarts the server then.
 */
const READ_AT_START = new Set([
  "bind_address",
  "skip_name_resolve",
  "log_bin",
  "relay_log",
  "log_slave_updates",
  "log_replica_updates",
  "gtid_mode",
  "ssl_ca",
  "ssl_cert",
  "ssl_key",
  "tls_version",
]);

export function serverConfigPath(flavor: DbFlavor): string {
  return `${flavor.configDir}/${flavor.dropInPrefix}60-foobar.cnf`;
}

/** The config lines that keep a server read-only across restarts (a replica, or a fenced former primary). */
export function readOnlySettings(flavor: DbFlavor): string[] {
  return ["read_only = ON", ...(flavor.superReadOnly ? ["super_read_only = ON"] : [])];
}

/** A primary is writable; said in its file too, so the file and the live check name the same value. */
function writableSettings(flavor: DbFlavor): string[] {
  return [...(flavor.superReadOnly ? ["super_read_only = OFF"] : []), "read_only = OFF"];
}

function configLines(flavor: DbFlavor, options: ServerConfigOptions): string[] {
  const replica = options.role === "replica";
  return [
    `# Managed by foobar-infra (role mysql_${options.role}): ${options.role} settings of ${options.hostName}.`,
    "[mysqld]",
    `server_id = ${options.serverId}`,
    `bind_address = ${options.bindAddress}`,
    "# Accounts are granted by address; no DNS lookups on connect.",
    "skip_name_resolve = ON",
    `max_connections = ${options.maxConnections}`,
    "character_set_server = utf8mb4",
    "collation_server = utf8mb4_unicode_ci",
    "log_bin = foobar-bin",
    "binlog_format = ROW",
    `binlog_expire_logs_seconds = ${options.binlogExpireDays * 86400}`,
    ...tlsSettings(),
    ...flavor.gtidSettings,
    ...(replica ? ["relay_log = foobar-relay-bin", ...readOnlySettings(flavor)] : writableSettings(flavor)),
    "",
  ];
}

export function serverConfig(flavor: DbFlavor, options: ServerConfigOptions): string {
  return configLines(flavor, options).join("\n");
}

/** The file's settings a running server holds as globals that SET GLOBAL changes, in file order. */
export function liveSettings(flavor: DbFlavor, options: ServerConfigOptions): ServerSetting[] {
  return configLines(flavor, options)
    .map((line) => /^([a-z_]+) = (.+)$/.exec(line))
    .flatMap((found) => (found && !READ_AT_START.has(found[1]!) ? [{ name: found[1]!, value: found[2]! }] : []));
}
