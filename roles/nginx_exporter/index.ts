// Role nginx_exporter: nginx's stub_status (served on loopback by the nginx role) as metrics on the private address.
import { defineRole } from "../../lib/role.ts";

export interface NginxExporterVars {
  port: number;
  /** nginx's loopback-only status port (nginx role var status_port). */
  status_port: number;
}

const DEFAULTS_FILE = "/etc/default/prometheus-nginx-exporter";
const port = { type: "integer", minimum: 1, maximum: 65535 } as const;

export default defineRole<NginxExporterVars>({
  name: "nginx_exporter",
  dir: import.meta.dirname,
  schema: { type: "object", additionalProperties: false, required: ["port", "status_port"], properties: { port, status_port: port } },
  defaults: { port: 9113, status_port: 8081 },
  tasks: ({ r, vars, host }) => [
    r.package("prometheus-nginx-exporter"),
    r.file(DEFAULTS_FILE, [
      "# Managed by foobar-infra (role nginx_exporter): nginx stub_status from loopback, metrics on the private address.",
      `ARGS="-nginx.scrape-uri=http://127.0.0.1:${vars.status_port}/stub_status -web.listen-address=${host.privateAddress}:${vars.port}"`,
      "",
    ].join("\n"), { mode: "0644", notify: "restart nginx_exporter" }),
    r.service("prometheus-nginx-exporter", { state: "started", enabled: true }),
  ],
  handlers: { "restart nginx_exporter": ({ r }) => r.serviceAction("prometheus-nginx-exporter", "restarted") },
});
