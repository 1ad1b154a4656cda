// The /health report: overall status from the database probe, plus version, hostname and uptime.
import type { DatabaseHealth } from "../db/store.ts";

export type HealthStatus = "ok" | "degraded" | "down";

export interface HealthReport {
  status: HealthStatus;
  version: string;
  hostname: string;
  uptimeSeconds: number;
  database: "not configured" | DatabaseHealth;
}

/** down: neither side reachable; degraded: one side unreachable; ok otherwise (or without a database). */
export function healthStatus(database: HealthReport["database"]): HealthStatus {
  if (database === "not configured") return "ok";
  const reachable = [database.primary.reachable, database.replica.reachable].filter(Boolean).length;
  return reachable === 2 ? "ok" : reachable === 1 ? "degraded" : "down";
}
