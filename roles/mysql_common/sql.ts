// SQL text building for the database roles: string literals, identifiers and accounts (no server flavour needed).
import { sqlString } from "../../lib/encode.ts";

/** A single-quoted SQL string literal (lib/encode.ts: the one encoder for SQL strings). */
export { sqlString };

/** A backquoted identifier. */
export function sqlIdent(name: string): string {
  return `\`${name.replace(/`/g, "``")}\``;
}

/** 'user'@'host' */
export function account(user: string, host: string): string {
  return `${sqlString(user)}@${sqlString(host)}`;
}
