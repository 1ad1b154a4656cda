// Role nginx_exporter: nginx's stub_status (served on loopback by the nginx role) as metrics on the private address.
import { defineRole } from "../../lib/role.ts";
import { debianExporter } from "../exporter_common/debian-exporter.ts";

export interface NginxExporterVars {
  port: number;
  /** nginx's loopback-only status port (nginx role var status_port). */
  status_port: number;
}

const port = { type: "integer", minimum: 1, maximum: 65535 } as const;
const exporter = debianExporter("nginx_exporter", "prometheus-nginx-exporter");

export default defineRole<NginxExporterVars>({
  name: "nginx_exporter",
  dir: import.meta.dirname,
  schema: { type: "object", additionalProperties: false, required: ["port", "status_port"], properties: { port, status_port: port } },
  defaults: { port: 9113, status_port: 8081 },
  tasks: ({ r, vars, host }) => exporter.tasks(r, "nginx stub_status from loopback, metrics on the private address.", [
    `ARGS="-nginx.scrape-uri=http://127.0.0.1:${vars.status_port}/stub_status -web.listen-address=${host.privateAddress}:${vars.port}"`,
  ]),
  handlers: exporter.handlers,
});
