// Running SQL as root on a database host: the statements on the client's stdin, base64 on the wire.
import { heredocBase64 } from "../../lib/shell.ts";
import type { DbFlavor } from "./flavor.ts";

/** Shell text running SQL as root with the SQL on stdin (base64 on the wire): for statements that carry secrets. */
export function sqlScript(flavor: DbFlavor, sql: string): string {
  const [opening, ...rest] = heredocBase64("base64 -d", sql).split("\n");
  return [`${opening} | ${flavor.client} --batch`, ...rest].join("\n");
}

/**
 * sqlScript for a server's own changes (its accounts, its baseline) that must also pass a read-only replica's
 * super_read_only, which binds root too (MySQL; MariaDB's read_only does not bind root): it is lifted for the
 * statements and put back as it was, also when they fail.
 */
export function sqlScriptPastReadOnly(flavor: DbFlavor, sql: string): string {
  if (!flavor.superReadOnly) return sqlScript(flavor, sql);
  const client = `${flavor.client} --batch --skip-column-names`;
  const [opening, ...rest] = heredocBase64("base64 -d", sql).split("\n");
  return [
    `was_sro=$(${client} -e 'SELECT @@GLOBAL.super_read_only')`,
    `if [ "$was_sro" = 1 ]; then ${client} -e 'SET GLOBAL super_read_only = OFF'; fi`,
    `sql_rc=0; ${opening} | ${flavor.client} --batch || sql_rc=$?`,
    ...rest,
    `if [ "$was_sro" = 1 ]; then ${client} -e 'SET GLOBAL super_read_only = ON'; fi`,
    `if [ "$sql_rc" != 0 ]; then exit "$sql_rc"; fi`,
  ].join("\n");
}
