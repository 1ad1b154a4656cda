// Role mysql_replica: an asynchronous, read-only GTID replica of the primary that repairs itself, a read-only
// app account, and rotated backups on a systemd timer.
import { defineRole } from "../../lib/dsl/role.ts";
import { reveal } from "../../lib/secret.ts";
import { flavorOf } from "../mysql_common/flavor.ts";
import { replication } from "../mysql_common/replication-resource.ts";
import { serverTasks } from "../mysql_common/server-tasks.ts";
import { dbTopology } from "../mysql_common/tier.ts";
import { TLS_FILES } from "../mysql_common/tls.ts";
import { topologyGuard } from "../mysql_common/topology-guard-resource.ts";
import { dbUser, dbUserOnlyFrom } from "../mysql_common/user-resource.ts";
import { schema } from "./schema.ts";

export const BACKUP_SCRIPT = "/usr/local/sbin/foobar-db-backup";
export const BACKUP_UNIT = "foobar-db-backup";

export default defineRole({
  name: "mysql_replica",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, facts, inventory }) => {
    const flavor = flavorOf(vars.db_engine);
    const { primary, webHosts } = dbTopology(inventory);
    const names = {
      client: flavor.client,
      dump: [flavor.dump, ...flavor.backupDumpOptions].join(" "),
      service: flavor.service,
    };
    return [
      topologyGuard({
        role: "mysql_replica",
        host: host.name,
        primaryAddress: primary.privateAddress,
        wouldUndo: `turn it back into a replica of ${primary.name} (it holds writes ${primary.name} lacks)`,
      }),
      ...serverTasks(r, flavor, "replica", host, vars, facts.os.pretty),
      replication(flavor, {
        host: primary.privateAddress,
        port: 3306,
        user: vars.repl_user,
        password: reveal(vars.repl_password),
        caFile: TLS_FILES.ca,
        databases: [vars.db_name],
        waitSeconds: vars.replication_wait_seconds,
      }),
      ...webHosts.map((web) =>
        dbUser(
          flavor,
          vars.read_user,
          web.privateAddress,
          reveal(vars.read_password),
          {
            [`${vars.db_name}.*`]: ["SELECT"],
            "*.*": [flavor.privileges.replicaMonitor],
          },
          { binlog: false, retiringPassword: vars.read_password_retiring && reveal(vars.read_password_retiring) },
        ),
      ),
      dbUserOnlyFrom(
        flavor,
        vars.read_user,
        webHosts.map((web) => web.privateAddress),
        { binlog: false },
      ),
      r.directory(vars.backup_dir, { owner: "root", group: "root", mode: "0700" }),
      r.file(BACKUP_SCRIPT, r.render("foobar-db-backup.ejs", names), { owner: "root", group: "root", mode: "0750" }),
      r.systemdUnit(`${BACKUP_UNIT}.service`, r.render("foobar-db-backup.service.ejs", names)),
      r.systemdUnit(`${BACKUP_UNIT}.timer`, r.render("foobar-db-backup.timer.ejs", names)),
      r.service(`${BACKUP_UNIT}.timer`, { state: "started", enabled: true }),
    ];
  },
});
