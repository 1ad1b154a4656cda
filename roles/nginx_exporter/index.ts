// Role nginx_exporter: nginx's stub_status (served on loopback by the nginx role) as metrics on the private address.
import { defineRole } from "../../lib/dsl/role.ts";
import { schema } from "./schema.ts";
import { debianExporter } from "../exporter_common/debian-exporter.ts";

const exporter = debianExporter("nginx_exporter", "prometheus-nginx-exporter");

export default defineRole({
  name: "nginx_exporter",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host }) =>
    exporter.tasks(r, "nginx stub_status from loopback, metrics on the private address.", [
      `ARGS="-nginx.scrape-uri=http://127.0.0.1:${vars.status_port}/stub_status -web.listen-address=${host.privateAddress}:${vars.port}"`,
    ]),
  handlers: exporter.handlers,
});
