// Resource: a database (schema) exists with utf8mb4.
import { commonFields, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { sqlIdent, sqlString } from "./sql.ts";
import { sqlScriptPastReadOnly } from "./sql-script.ts";

export function dbDatabase(flavor: DbFlavor, name: string): Resource<boolean> {
  return {
    id: `db-database:${name}`,
    ...commonFields(),
    probe: () =>
      sqlProbe(flavor.probeClient, [
        `SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME=${sqlString(name)}`,
      ]),
    parse: (stdout) => stdout.trim() === "1",
    plan: (exists) => (exists ? [] : [{ summary: "create (utf8mb4)" }]),
    apply: () =>
      sqlScriptPastReadOnly(
        flavor,
        `CREATE DATABASE IF NOT EXISTS ${sqlIdent(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;`,
      ),
  };
}
