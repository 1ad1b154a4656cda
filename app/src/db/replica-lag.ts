// Replica lag in seconds from SHOW REPLICA STATUS (MySQL 8.0.22+, MariaDB 10.5+), falling back to SHOW SLAVE STATUS.
export type StatusQuery = (sql: string) => Promise<Record<string, unknown>[]>;

/** Server error numbers: syntax error (statement unknown to this server), and missing privilege. */
const ER_PARSE_ERROR = 1064;
const PRIVILEGE_ERRORS = new Set([1044, 1045, 1142, 1227]);
const LAG_COLUMNS = ["Seconds_Behind_Source", "Seconds_Behind_Master"];

function errno(error: unknown): number | undefined {
  const value = (error as { errno?: unknown } | null)?.errno;
  return typeof value === "number" ? value : undefined;
}

async function replicaStatus(query: StatusQuery): Promise<Record<string, unknown>[]> {
  try {
    return await query("SHOW REPLICA STATUS");
  } catch (error) {
    if (errno(error) !== ER_PARSE_ERROR) throw error;
    return query("SHOW SLAVE STATUS");
  }
}

/**
 * Seconds behind the primary, or null when unknown: not a replica, replication stopped, or the read user
 * lacks REPLICATION CLIENT / SLAVE MONITOR. Other errors are thrown.
 */
export async function replicaLagSeconds(query: StatusQuery): Promise<number | null> {
  let rows: Record<string, unknown>[];
  try {
    rows = await replicaStatus(query);
  } catch (error) {
    if (PRIVILEGE_ERRORS.has(errno(error) ?? 0)) return null;
    throw error;
  }
  const row = rows[0];
  if (!row) return null;
  for (const column of LAG_COLUMNS) {
    const value = row[column];
    if (value === null || value === undefined || value === "") continue;
    const seconds = Number(value);
    return Number.isFinite(seconds) ? seconds : null;
  }
  return null;
}
