// The resources both database roles start with: the server package (once the host is known to be able to run the
// engine), its drop-in config, the running service
// (restarted when the config is newer), its TLS certificate (renewed live), the config's live values (SET GLOBAL when changed by hand), and the
// security baseline.
import type { Host } from "../../lib/inventory/types.ts";
import type { ResourceFactory } from "../../lib/resources/index.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { dbBaseline } from "./baseline-resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { dbRuntimeSettings } from "./runtime-settings-resource.ts";
import { dbServerPackage } from "./server-package-resource.ts";
import { liveSettings, serverConfig, serverConfigPath, type ServerConfigOptions } from "./server-config.ts";
import { defaultServerId } from "./tier.ts";
import { tlsTasks, type TlsVars } from "./tls.ts";
import type { ServerVars } from "./vars.ts";

// Resource<any>: the same element type role tasks return (lib/dsl/role.ts).
export function serverTasks(
  r: ResourceFactory,
  flavor: DbFlavor,
  role: "primary" | "replica",
  host: Host,
  vars: ServerVars & TlsVars,
  /** The host's OS release (its facts), for a refusal's message. */
  release: string,
): Resource<any>[] {
  const config = serverConfigPath(flavor);
  const options: ServerConfigOptions = {
    role,
    hostName: host.name,
    serverId: vars.server_id ?? defaultServerId(host),
    bindAddress: host.privateAddress,
    binlogExpireDays: vars.binlog_expire_days,
    maxConnections: vars.max_connections,
  };
  return [
    dbServerPackage(flavor, { host: host.name, release, role: `mysql_${role}` }),
    ...tlsTasks(r, flavor, host, vars),
    r.file(config, serverConfig(flavor, options), { mode: "0644" }),
    r.service(flavor.service, { state: "started", enabled: true }),
    r.serviceFresh(flavor.service, [config]),
    dbRuntimeSettings(flavor, liveSettings(flavor, options)),
    dbBaseline(flavor),
  ];
}
