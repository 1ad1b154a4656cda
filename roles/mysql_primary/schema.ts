// Vars of the mysql_primary role, declared once: checked before any connection, typed, documented in README.md.
import { OneOf, RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import {
  accountName,
  dbEngine,
  dbName,
  replicationAccount,
  retiringPassword,
  serverSettings,
  tlsVars,
} from "../mysql_common/vars.ts";

const PRIVILEGES = [
  "SELECT",
  "INSERT",
  "UPDATE",
  "DELETE",
  "CREATE",
  "ALTER",
  "INDEX",
  "DROP",
  "REFERENCES",
  "CREATE TEMPORARY TABLES",
  "LOCK TABLES",
  "EXECUTE",
  "CREATE VIEW",
  "SHOW VIEW",
  "TRIGGER",
] as const;

export const schema = RoleVars({
  db_name: dbName,
  app_user: accountName("foobar_app", "The app's writer account, allowed only from the web hosts."),
  app_password: SecretVar({ default: secret("db_app_password"), description: "The writer account's password." }),
  app_password_retiring: retiringPassword("db_app_password"),
  app_privileges: Type.Array(OneOf(PRIVILEGES, { description: "A privilege." }), {
    minItems: 1,
    uniqueItems: true,
    default: ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "ALTER", "INDEX"],
    description: "What the writer account may do on the app's database.",
  }),
  ...replicationAccount,
  ...dbEngine,
  ...serverSettings,
  ...tlsVars,
});
