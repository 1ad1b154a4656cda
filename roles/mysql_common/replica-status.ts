// SHOW REPLICA STATUS parsed into what the replica role decides on (both flavours' column names). MySQL 9's client
// runs no client commands such as \G by default: statements print tab-separated rows (--batch) or vertically (--vertical).
import type { DbFlavor } from "./flavor.ts";

export interface ReplicaStatus {
  /** False when the server has no replication configured (empty status). */
  configured: boolean;
  ioRunning: string;
  sqlRunning: string;
  sourceHost: string;
  sourcePort: number;
  sourceUser: string;
  usesGtid: boolean;
  /** Replicates over TLS with the source's certificate and name verified against this CA file ("" when not). */
  verifiedTlsCa: string;
  lagSeconds: number | null;
  lastIoErrno: number;
  lastIoError: string;
  lastSqlErrno: number;
  lastSqlError: string;
}

/**
 * `Name: value` lines from --batch output of statements that print one row each (a header line, then its row):
 * what --vertical prints. Batch escapes a value's newlines as \n: dropped (MySQL breaks long GTID sets after commas).
 */
export function verticalFromBatch(stdout: string): string {
  const lines = stdout.split("\n").filter((line) => line !== "");
  const fields: string[] = [];
  for (let index = 0; index + 1 < lines.length; index += 2) {
    const names = lines[index]!.split("\t");
    const values = lines[index + 1]!.split("\t");
    names.forEach((name, column) =>
      fields.push(`${name}: ${(values[column] ?? "").replace(/\\n/g, "").replace(/\\t/g, " ").replace(/\\\\/g, "\\")}`),
    );
  }
  return fields.join("\n");
}

/** Parse the vertical output; `serverDown` output (no client, no server) reads as not configured. */
export function parseReplicaStatus(flavor: DbFlavor, stdout: string): ReplicaStatus {
  const fields = new Map<string, string>();
  for (const line of stdout.split("\n")) {
    const match = /^\s*([A-Za-z_]+):\s?(.*)$/.exec(line);
    if (match) fields.set(match[1]!, match[2]!.trim());
  }
  const get = (name: string) => fields.get(name) ?? "";
  const lag = get(flavor.columns.lag);
  return {
    configured: fields.has(flavor.columns.ioRunning) && get(flavor.columns.sourceHost) !== "",
    ioRunning: get(flavor.columns.ioRunning),
    sqlRunning: get(flavor.columns.sqlRunning),
    sourceHost: get(flavor.columns.sourceHost),
    sourcePort: Number(get(flavor.columns.sourcePort) || 0),
    sourceUser: get(flavor.columns.sourceUser),
    usesGtid: get(flavor.columns.gtid) === flavor.gtidOn,
    verifiedTlsCa:
      get(flavor.columns.ssl) === "Yes" && get(flavor.columns.sslVerify) === "Yes" ? get(flavor.columns.sslCa) : "",
    lagSeconds: lag === "" || lag === "NULL" ? null : Number(lag),
    lastIoErrno: Number(get("Last_IO_Errno") || 0),
    lastIoError: get("Last_IO_Error"),
    lastSqlErrno: Number(get("Last_SQL_Errno") || 0),
    lastSqlError: get("Last_SQL_Error"),
  };
}
