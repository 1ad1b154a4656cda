// Vars both database roles declare the same way (lib/dsl/role-vars.ts pieces): the database, accounts, server settings.
import { Identifier, OneOf, SecretVar, Type, type Static } from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import { DB_ENGINES } from "./flavor.ts";

/** Which server the database hosts run: every database role of a host must name the same one. */
export const dbEngine = {
  db_engine: OneOf(DB_ENGINES, {
    default: "mariadb",
    description:
      "The database server: `mariadb` (package mariadb-server, 10.5.9 or later) or `mysql` (mysql-server, 8.0.26 or later, 9.x included). The converge refuses, before changing anything, a host whose apt sources do not offer it or that runs the other one.",
  }),
};

/** An account name: letters, digits and _, up to 32. */
export const accountName = (fallback: string, description: string) =>
  Identifier({ default: fallback, description }, 32);

export const dbName = Identifier({ default: "foobar", description: "The app's database." });

/** The old password an account keeps accepting while `secrets.ts rotate` moves every app to the new one; set by that command only. */
export const retiringPassword = (secretName: string) =>
  Type.Optional(
    SecretVar({
      description: `Set only by \`secrets.ts rotate ${secretName}\` while it runs: the old password, accepted beside the new one until every app has restarted with it.`,
    }),
  );

export const replicationAccount = {
  repl_user: accountName(
    "foobar_repl",
    "The replication account, allowed only from the replicas (also used to stream the bootstrap dump).",
  ),
  repl_password: SecretVar({ default: secret("db_repl_password"), description: "The replication account's password." }),
};

/** The server settings serverTasks reads (server-tasks.ts). */
export const serverSettings = {
  server_id: Type.Optional(
    Type.Integer({
      minimum: 1,
      maximum: 4294967295,
      description: "Default: derived from the private address (unique within a /16).",
    }),
  ),
  binlog_expire_days: Type.Integer({ minimum: 1, maximum: 99, default: 7, description: "Days binary logs are kept." }),
  max_connections: Type.Integer({
    minimum: 10,
    maximum: 100000,
    default: 200,
    description: "The server's max_connections.",
  }),
};
/** The database tier's TLS (tls.ts): the CA's key, and how long server certificates last. */
export const tlsVars = {
  ca_key: SecretVar({
    default: secret("db_ca_key"),
    description:
      "The database CA's key, as a secret: the CA's Ed25519 key and certificate are derived from it (lib/secrets/derived-ca.ts).",
  }),
  cert_valid_days: Type.Integer({
    minimum: 2,
    maximum: 825,
    default: 90,
    description: "Days a server certificate the converge issues is valid.",
  }),
  cert_renew_days: Type.Integer({
    minimum: 1,
    maximum: 824,
    default: 30,
    description:
      "A server certificate expiring within this many days is replaced by the next converge (live, no restart).",
  }),
};

const serverSettingsObject = Type.Object(serverSettings);
export type ServerVars = Static<typeof serverSettingsObject>;
