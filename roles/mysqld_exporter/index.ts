// Role mysqld_exporter: database metrics (replication state and lag included) through a socket-only account with
// the least privileges the exporter needs; listens on the private address for the monitoring host.
import { defineRole } from "../../lib/dsl/role.ts";
import { schema } from "./schema.ts";
import { flavorOf } from "../mysql_common/flavor.ts";
import { debianExporter } from "../exporter_common/debian-exporter.ts";
import { dbSocketAccount } from "../mysql_common/socket-account-resource.ts";

/** The Debian unit runs the exporter as this OS user; the database account of the same name logs in by socket. */
const EXPORTER_USER = "prometheus";
const SOCKET = "/run/mysqld/mysqld.sock";
/** Where exporter 0.15 and later (Debian 13) read the login; 0.14 (Debian 12) reads DATA_SOURCE_NAME and, when it
 *  is set, accepts this file without a password too, so both are written and each release uses its own. */
const CLIENT_CONFIG = "/etc/default/prometheus-mysqld-exporter.cnf";
const exporter = debianExporter("mysqld_exporter", "prometheus-mysqld-exporter");

export default defineRole({
  name: "mysqld_exporter",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host }) => {
    const flavor = flavorOf(vars.db_engine);
    const account = dbSocketAccount(flavor, EXPORTER_USER, {
      "*.*": ["PROCESS", flavor.privileges.binlogMonitor, flavor.privileges.replicaMonitor],
      "performance_schema.*": ["SELECT"],
    });
    return exporter.tasks(
      r,
      "socket login as the prometheus account (no password exists).",
      [
        `DATA_SOURCE_NAME="${EXPORTER_USER}@unix(${SOCKET})/"`,
        `ARGS="--config.my-cnf=${CLIENT_CONFIG} --web.listen-address=${host.privateAddress}:${vars.port}"`,
      ],
      [
        account,
        r.file(
          CLIENT_CONFIG,
          `# Managed by foobar-infra (role mysqld_exporter).\n[client]\nuser=${EXPORTER_USER}\nsocket=${SOCKET}\n`,
          {
            mode: "0644",
            notify: `restart mysqld_exporter`,
          },
        ),
      ],
    );
  },
  handlers: exporter.handlers,
});
