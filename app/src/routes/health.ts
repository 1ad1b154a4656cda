// GET /health: status for HAProxy and humans; 503 only when the database is configured and wholly unreachable.
import type { AppContext } from "../app-context.ts";
import { healthHttpStatus, healthStatus, type HealthReport } from "../health/health.ts";
import { json } from "../http/reply.ts";
import type { Handler } from "../http/router.ts";

export function health(app: AppContext): Handler {
  return async () => {
    const database = app.probeDatabase ? await app.probeDatabase() : "not configured";
    const status = healthStatus(database);
    const report: HealthReport = {
      status,
      version: app.version,
      hostname: app.hostname,
      uptimeSeconds: app.uptimeSeconds(),
      database,
    };
    return json(healthHttpStatus(status), report, { "Cache-Control": "no-store" });
  };
}
