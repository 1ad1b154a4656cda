// SQL text building for the database roles: string literals, identifiers and accounts (no server flavour needed).

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
