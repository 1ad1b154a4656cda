// Application settings: parsed and validated from the environment (see roles/app/templates/app.env.ejs).
import { readFileSync } from "node:fs";
import { isIP } from "node:net";

export interface DatabaseConfig {
  name: string;
  port: number;
  primaryHost: string;
  replicaHost: string;
  /** Writer account on the primary. */
  user: string;
  password: string;
  /** Read-only account on the replica. */
  readUser: string;
  readPassword: string;
  /** TLS to both servers, their certificates verified against this CA (PEM) and by these names; null: no TLS. */
  tls: { caFile: string; ca: string; primaryName: string; replicaName: string } | null;
}

export interface AppConfig {
  version: string;
  listenHost: string;
  listenPort: number;
  /** null: run without a database. */
  database: DatabaseConfig | null;
}

/** A bad setting; the message names the variable, never its value when it is a secret. */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable} ${problem}`);
    this.name = "ConfigError";
  }
}

/** sysexits.h EX_CONFIG: systemd shows it, and Restart=on-failure keeps retrying at RestartSec. */
export const EXIT_BAD_CONFIG = 78;

type Env = Record<string, string | undefined>;
/** Reads a file named by a setting (the CA certificate). */
export type ReadFile = (path: string) => string;

const VERSION_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
const DB_NAME_PATTERN = /^[A-Za-z0-9_]{1,64}$/;
const HOST_PATTERN = /^[A-Za-z0-9.:_-]{1,253}$/;

function optional(env: Env, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === "" ? undefined : value;
}

function required(env: Env, name: string, reason: string): string {
  const value = optional(env, name);
  if (value === undefined) throw new ConfigError(name, `is required ${reason}`);
  return value;
}

function matching(name: string, value: string, pattern: RegExp, expected: string): string {
  if (!pattern.test(value)) throw new ConfigError(name, `must be ${expected}, got ${JSON.stringify(value)}`);
  return value;
}

function port(env: Env, name: string, fallback: number): number {
  const raw = optional(env, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > 65535) {
    throw new ConfigError(name, `must be a port number (1-65535), got ${JSON.stringify(raw)}`);
  }
  return value;
}

function listenHost(env: Env): string {
  const host = optional(env, "LISTEN_HOST") ?? "127.0.0.1";
  if (host !== "localhost" && isIP(host) === 0) {
    throw new ConfigError("LISTEN_HOST", `must be an IP address or localhost, got ${JSON.stringify(host)}`);
  }
  return host;
}

/**
 * The name a server's certificate must carry: DB_PRIMARY_NAME / DB_REPLICA_NAME, else the host when it is a name.
 * mysql2 checks no name at all for a host given as an IP address, so an address alone is refused.
 */
function serverName(env: Env, variable: string, host: string, hostVariable: string): string {
  const name = optional(env, variable) ?? host;
  matching(variable, name, HOST_PATTERN, "a host name");
  if (isIP(name) !== 0)
    throw new ConfigError(
      variable,
      `is required with DB_CA_FILE when ${hostVariable} is an IP address: the name its certificate must carry`,
    );
  return name;
}

/** DB_CA_FILE: an absolute path to a PEM CA certificate; TLS with verification when set. */
function databaseTls(env: Env, readFile: ReadFile, primaryHost: string, replicaHost: string): DatabaseConfig["tls"] {
  const caFile = optional(env, "DB_CA_FILE");
  if (caFile === undefined) return null;
  if (!caFile.startsWith("/"))
    throw new ConfigError("DB_CA_FILE", `must be an absolute path, got ${JSON.stringify(caFile)}`);
  let ca: string;
  try {
    ca = readFile(caFile);
  } catch (error) {
    throw new ConfigError("DB_CA_FILE", `cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!ca.includes("-----BEGIN CERTIFICATE-----"))
    throw new ConfigError("DB_CA_FILE", `must name a PEM certificate file, ${caFile} holds none`);
  return {
    caFile,
    ca,
    primaryName: serverName(env, "DB_PRIMARY_NAME", primaryHost, "DB_PRIMARY_HOST"),
    replicaName: serverName(env, "DB_REPLICA_NAME", replicaHost, "DB_REPLICA_HOST"),
  };
}

function database(env: Env, readFile: ReadFile): DatabaseConfig | null {
  const primaryHost = optional(env, "DB_PRIMARY_HOST");
  if (primaryHost === undefined) return null;
  const reason = "when DB_PRIMARY_HOST is set";
  const user = required(env, "DB_USER", reason);
  const password = required(env, "DB_PASSWORD", reason);
  matching("DB_PRIMARY_HOST", primaryHost, HOST_PATTERN, "a host name or IP address");
  const replicaHost = matching(
    "DB_REPLICA_HOST",
    optional(env, "DB_REPLICA_HOST") ?? primaryHost,
    HOST_PATTERN,
    "a host name or IP address",
  );
  return {
    name: matching("DB_NAME", optional(env, "DB_NAME") ?? "foobar", DB_NAME_PATTERN, "1-64 letters, digits or _"),
    port: port(env, "DB_PORT", 3306),
    primaryHost,
    replicaHost,
    user,
    password,
    readUser: optional(env, "DB_READ_USER") ?? user,
    readPassword: optional(env, "DB_READ_PASSWORD") ?? password,
    tls: databaseTls(env, readFile, primaryHost, replicaHost),
  };
}

/** Read the settings from `env` (and the files it names); throws ConfigError naming the first bad variable. */
export function loadConfig(env: Env, readFile: ReadFile = (path) => readFileSync(path, "utf8")): AppConfig {
  return {
    version: matching(
      "APP_VERSION",
      optional(env, "APP_VERSION") ?? "dev",
      VERSION_PATTERN,
      "1-64 of A-Z a-z 0-9 . _ -",
    ),
    listenHost: listenHost(env),
    listenPort: port(env, "LISTEN_PORT", 3000),
    database: database(env, readFile),
  };
}

/** The settings as safe to log: everything but the passwords. */
export function describeConfig(config: AppConfig): Record<string, unknown> {
  const { database: db } = config;
  return {
    version: config.version,
    listen: `${config.listenHost}:${config.listenPort}`,
    database: db
      ? {
          name: db.name,
          primary: `${db.user}@${db.primaryHost}:${db.port}`,
          replica: `${db.readUser}@${db.replicaHost}:${db.port}`,
          tls: db.tls ? `verified against ${db.tls.caFile} as ${db.tls.primaryName} and ${db.tls.replicaName}` : "off",
        }
      : "not configured",
  };
}
