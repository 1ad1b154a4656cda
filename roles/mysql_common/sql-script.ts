// Running SQL as root on a database host: the statements on the client's stdin, base64 on the wire.
import { heredocBase64 } from "../../lib/shell.ts";
import type { DbFlavor } from "./flavor.ts";

/** Shell text running SQL as root with the SQL on stdin (base64 on the wire): for statements that carry secrets. */
export function sqlScript(flavor: DbFlavor, sql: string): string {
  const [opening, ...rest] = heredocBase64("base64 -d", sql).split("\n");
  return [`${opening} | ${flavor.client} --batch`, ...rest].join("\n");
}
