// GET /health: status for HAProxy and humans. Always 200 while the app serves: the database is shared by every
// web host, so an outage is reported in the body, never by taking every web host out of HAProxy at once.
import type { AppContext } from "../app-context.ts";
import { healthStatus, type HealthReport } from "../health/health.ts";
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
    return json(200, report, { "Cache-Control": "no-store" });
  };
}
