// Role node_exporter: host metrics (Debian's prometheus-node-exporter) on the private address, for the monitoring host.
import { defineRole } from "../../lib/dsl/role.ts";
import { schema } from "./schema.ts";
import { debianExporter } from "../exporter_common/debian-exporter.ts";

const exporter = debianExporter("node_exporter", "prometheus-node-exporter");

/** Its textfile collector's directory (Debian's): where each run's metrics land on the runMetrics host (hosts.ts). */
export const TEXTFILE_DIRECTORY = "/var/lib/prometheus/node-exporter";

export default defineRole({
  name: "node_exporter",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host }) =>
    exporter.tasks(r, "listen on the private address only (the firewall admits the monitoring host).", [
      `ARGS="--web.listen-address=${host.privateAddress}:${vars.port} --collector.filesystem.mount-points-exclude=^/(dev|proc|run|sys)($|/) --collector.textfile.directory=${TEXTFILE_DIRECTORY}"`,
    ]),
  handlers: exporter.handlers,
});
