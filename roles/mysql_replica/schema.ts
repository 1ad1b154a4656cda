// Vars of the mysql_replica role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface MysqlReplicaVars {
  db_name: string;
  /** The app's read-only account on the replica, allowed only from the web hosts. */
  read_user: string;
  read_password: Secret;
  /** The primary's replication account (see mysql_primary). */
  repl_user: string;
  repl_password: Secret;
  server_id?: number;
  binlog_expire_days: number;
  max_connections: number;
  /** Seconds the converge waits for replication to run after starting or bootstrapping it. */
  replication_wait_seconds: number;
  backup_dir: string;
  /** Backups kept (the newest N). */
  backup_keep: number;
  /** systemd OnCalendar expression of the backup timer. */
  backup_schedule: string;
}

const identifier = { type: "string", pattern: "^[A-Za-z0-9_]{1,32}$" } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["db_name", "read_user", "read_password", "repl_user", "repl_password", "binlog_expire_days", "max_connections", "replication_wait_seconds", "backup_dir", "backup_keep", "backup_schedule"],
  properties: {
    db_name: { type: "string", pattern: "^[A-Za-z0-9_]{1,64}$" },
    read_user: identifier,
    read_password: { secret: true },
    repl_user: identifier,
    repl_password: { secret: true },
    server_id: { type: "integer", minimum: 1, maximum: 4294967295 },
    binlog_expire_days: { type: "integer", minimum: 1, maximum: 99 },
    max_connections: { type: "integer", minimum: 10, maximum: 100000 },
    replication_wait_seconds: { type: "integer", minimum: 1, maximum: 600 },
    backup_dir: { type: "string", pattern: "^/[A-Za-z0-9/._-]+$" },
    backup_keep: { type: "integer", minimum: 1, maximum: 365 },
    backup_schedule: { type: "string", pattern: "^[A-Za-z0-9*:/ ,.~-]{1,64}$" },
  },
} as const;
