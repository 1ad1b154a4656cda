// SQL text building for the database roles: string literals, identifiers, accounts, and running SQL as root.
import { heredocBase64 } from "../../lib/shell.ts";
import type { DbFlavor } from "./flavor.ts";

/** A single-quoted SQL string literal (backslash and quote escaped). */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** A backquoted identifier. */
export function sqlIdent(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** 'user'@'host' */
export function account(user: string, host: string): string {
  return `${sqlString(user)}@${sqlString(host)}`;
}

/** Shell text running SQL as root with the SQL on stdin (base64 on the wire): for statements that carry secrets. */
export function sqlScript(flavor: DbFlavor, sql: string): string {
  const [opening, ...rest] = heredocBase64("base64 -d", sql).split("\n");
  return [`${opening} | ${flavor.client} --batch`, ...rest].join("\n");
}
