// Resource: the app's listening socket held by systemd (foobar-app.socket), started and enabled. A host whose app
// still binds the port itself (converged before the socket existed) has its app stopped first, so the socket can bind.
import { isRunning, type UnitState } from "../../lib/facts/systemd.ts";
import { service } from "../../lib/resources/service.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { sh } from "../../lib/shell.ts";

export function appSocket(socket: string, appService: string): Resource<UnitState> {
  const started = service(socket, { state: "started", enabled: true });
  return {
    ...started,
    plan: (unit, context) =>
      started
        .plan(unit, context)
        .map((change) =>
          change.summary.startsWith("start ") ? { summary: `${change.summary}, after stopping ${appService}` } : change,
        ),
    apply: (unit) =>
      isRunning(unit)
        ? started.apply(unit)
        : `${sh`systemctl stop ${appService}`} 2>/dev/null || true\n${started.apply(unit)}`,
  };
}
