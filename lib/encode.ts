// Encoders for where a value lands on a host: a shell word, a systemd environment file, an authorized_keys option, an SQL string.
import { quote } from "./shell.ts";

/** One word of a POSIX shell line: single-quoted unless it is plain. */
export const shellWord = (value: string): string => quote(value);

/** The value of a systemd EnvironmentFile= line: double-quoted, with \ " ` $ escaped (systemd's own rule) so it is read back whole and literal. */
export function envFileValue(value: string): string {
  if (value.includes("\0")) throw new Error("a systemd environment value cannot hold a NUL");
  return `"${value.replace(/[\\"`$]/g, "\\$&")}"`;
}

/** The value of an authorized_keys option such as from="…" or command="…": double-quoted, " and \ escaped; a line break cannot be carried. */
export function keyOptionValue(value: string): string {
  if (/[\r\n\0]/.test(value)) throw new Error("an authorized_keys option cannot hold a line break or NUL");
  return `"${value.replace(/["\\]/g, "\\$&")}"`;
}

/** A single-quoted SQL string literal (MySQL and MariaDB, backslash escapes on): \ and ' escaped, NUL as \0. */
export function sqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'").replace(/\0/g, "\\0")}'`;
}
