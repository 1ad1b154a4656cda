// Role node_exporter: host metrics (Debian's prometheus-node-exporter) on the private address, for the monitoring host.
import { defineRole } from "../../lib/role.ts";

export interface NodeExporterVars {
  port: number;
}

const DEFAULTS_FILE = "/etc/default/prometheus-node-exporter";

export default defineRole<NodeExporterVars>({
  name: "node_exporter",
  dir: import.meta.dirname,
  schema: { type: "object", additionalProperties: false, required: ["port"], properties: { port: { type: "integer", minimum: 1, maximum: 65535 } } },
  defaults: { port: 9100 },
  tasks: ({ r, vars, host }) => [
    r.package("prometheus-node-exporter"),
    r.file(DEFAULTS_FILE, [
      "# Managed by foobar-infra (role node_exporter): listen on the private address only (the firewall admits the monitoring host).",
      `ARGS="--web.listen-address=${host.privateAddress}:${vars.port} --collector.filesystem.mount-points-exclude=^/(dev|proc|run|sys)($|/)"`,
      "",
    ].join("\n"), { mode: "0644", notify: "restart node_exporter" }),
    r.service("prometheus-node-exporter", { state: "started", enabled: true }),
  ],
  handlers: { "restart node_exporter": ({ r }) => r.serviceAction("prometheus-node-exporter", "restarted") },
});
