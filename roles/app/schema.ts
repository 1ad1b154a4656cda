// Vars of the app role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface AppVars {
  /** Directory on the controller holding the built release (server.js + public/), relative to the repo. */
  build_dir: string;
  /** Release name; default: "r-" + the first 12 hex digits of the build's sha256 (same build, same name). */
  version?: string;
  /** Where releases live on the host: <root>/releases/<version>, <root>/current. */
  root: string;
  /** Releases kept on the host, the current one included. */
  keep_releases: number;
  user: string;
  listen_host: string;
  listen_port: number;
  /** Database settings; the hosts default to the inventory's db_primary / db_replica groups (none: no database). */
  db_name: string;
  db_primary_host?: string;
  db_replica_host?: string;
  db_port: number;
  db_user: string;
  db_password?: Secret;
  db_read_user: string;
  db_read_password?: Secret;
}

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["build_dir", "root", "keep_releases", "user", "listen_host", "listen_port", "db_name", "db_port", "db_user", "db_read_user"],
  properties: {
    build_dir: { type: "string", minLength: 1 },
    version: { type: "string", pattern: "^[A-Za-z0-9._-]{1,64}$" },
    root: { type: "string", pattern: "^/[A-Za-z0-9/._-]+$" },
    keep_releases: { type: "integer", minimum: 1, maximum: 50 },
    user: { type: "string", pattern: "^[a-z_][a-z0-9_-]{0,31}$" },
    listen_host: { type: "string", pattern: "^[0-9a-fA-F.:]+$" },
    listen_port: { type: "integer", minimum: 1, maximum: 65535 },
    db_name: { type: "string", pattern: "^[A-Za-z0-9_]{1,64}$" },
    db_primary_host: { type: "string", minLength: 1 },
    db_replica_host: { type: "string", minLength: 1 },
    db_port: { type: "integer", minimum: 1, maximum: 65535 },
    db_user: { type: "string", pattern: "^[A-Za-z0-9_]{1,32}$" },
    db_password: { secret: true },
    db_read_user: { type: "string", pattern: "^[A-Za-z0-9_]{1,32}$" },
    db_read_password: { secret: true },
  },
} as const;
