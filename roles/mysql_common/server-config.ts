// The server's replication settings as one drop-in file (server id, bind address, binary log, GTIDs, read-only).
import type { DbFlavor } from "./flavor.ts";

export interface ServerConfigOptions {
  role: "primary" | "replica";
  hostName: string;
  serverId: number;
  bindAddress: string;
  binlogExpireDays: number;
  maxConnections: number;
}

export function serverConfigPath(flavor: DbFlavor): string {
  return `${flavor.configDir}/60-foobar.cnf`;
}

/** The config lines that keep a server read-only across restarts (a replica, or a fenced former primary). */
export function readOnlySettings(flavor: DbFlavor): string[] {
  return ["read_only = ON", ...(flavor.superReadOnly ? ["super_read_only = ON"] : [])];
}

export function serverConfig(flavor: DbFlavor, options: ServerConfigOptions): string {
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
    ...flavor.gtidSettings,
    ...(replica
      ? ["relay_log = foobar-relay-bin", ...readOnlySettings(flavor)]
      : []),
    "",
  ].join("\n");
}
