// Vars of the mysql_primary role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface MysqlPrimaryVars {
  db_name: string;
  /** The app's writer account, allowed only from the web hosts. */
  app_user: string;
  app_password: Secret;
  app_privileges: string[];
  /** The replication account, allowed only from the replicas (also used to stream the bootstrap dump). */
  repl_user: string;
  repl_password: Secret;
  /** Default: derived from the private address (unique within a /16). */
  server_id?: number;
  binlog_expire_days: number;
  max_connections: number;
}

const identifier = { type: "string", pattern: "^[A-Za-z0-9_]{1,32}$" } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["db_name", "app_user", "app_password", "app_privileges", "repl_user", "repl_password", "binlog_expire_days", "max_connections"],
  properties: {
    db_name: { type: "string", pattern: "^[A-Za-z0-9_]{1,64}$" },
    app_user: identifier,
    app_password: { secret: true },
    app_privileges: { type: "array", minItems: 1, uniqueItems: true, items: { enum: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX", "DROP", "REFERENCES", "CREATE TEMPORARY TABLES", "LOCK TABLES", "EXECUTE", "CREATE VIEW", "SHOW VIEW", "TRIGGER"] } },
    repl_user: identifier,
    repl_password: { secret: true },
    server_id: { type: "integer", minimum: 1, maximum: 4294967295 },
    binlog_expire_days: { type: "integer", minimum: 1, maximum: 99 },
    max_connections: { type: "integer", minimum: 10, maximum: 100000 },
  },
} as const;
