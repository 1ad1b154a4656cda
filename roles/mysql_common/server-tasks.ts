// The resources both database roles start with: the server package, its drop-in config, the running service
// (restarted when the config is newer), and the security baseline.
import type { Host } from "../../lib/inventory/types.ts";
import type { ResourceFactory } from "../../lib/resources/index.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { dbBaseline } from "./baseline-resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { serverConfig, serverConfigPath } from "./server-config.ts";
import { defaultServerId } from "./tier.ts";
import type { ServerVars } from "./vars.ts";

// Resource<any>: the same element type role tasks return (lib/role.ts).
export function serverTasks(r: ResourceFactory, flavor: DbFlavor, role: "primary" | "replica", host: Host, vars: ServerVars): Resource<any>[] {
  const config = serverConfigPath(flavor);
  return [
    r.package(flavor.serverPackage),
    r.file(config, serverConfig(flavor, {
      role, hostName: host.name, serverId: vars.server_id ?? defaultServerId(host), bindAddress: host.privateAddress,
      binlogExpireDays: vars.binlog_expire_days, maxConnections: vars.max_connections,
    }), { mode: "0644" }),
    r.service(flavor.service, { state: "started", enabled: true }),
    r.serviceFresh(flavor.service, [config]),
    dbBaseline(flavor),
  ];
}
