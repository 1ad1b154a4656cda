// Role mysql_primary: the database primary — binary log with GTIDs, the app database, the app and replication accounts.
import { defineRole } from "../../lib/dsl/role.ts";
import { reveal } from "../../lib/secret.ts";
import { dbDatabase } from "../mysql_common/database-resource.ts";
import { flavorOf } from "../mysql_common/flavor.ts";
import { serverTasks } from "../mysql_common/server-tasks.ts";
import { dbTopology } from "../mysql_common/tier.ts";
import { topologyGuard } from "../mysql_common/topology-guard-resource.ts";
import { dbUser, dbUserOnlyFrom } from "../mysql_common/user-resource.ts";
import { schema } from "./schema.ts";

export default defineRole({
  name: "mysql_primary",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, facts, inventory }) => {
    const flavor = flavorOf(vars.db_engine);
    const { replicas, webHosts } = dbTopology(inventory);
    const binlog = false; // accounts are the primary's own: kept out of the binary log, the replica manages its own
    const replicationGrants = {
      "*.*": ["REPLICATION SLAVE", flavor.privileges.binlogMonitor, "RELOAD"],
      [`${vars.db_name}.*`]: ["SELECT", "LOCK TABLES", "SHOW VIEW", "TRIGGER", "EVENT"],
    };
    return [
      topologyGuard({
        role: "mysql_primary",
        host: host.name,
        primaryAddress: host.privateAddress,
        wouldUndo: "make it a writable primary again (it was fenced)",
      }),
      ...serverTasks(r, flavor, "primary", host, vars, facts.os.pretty),
      dbDatabase(flavor, vars.db_name),
      ...webHosts.map((web) =>
        dbUser(
          flavor,
          vars.app_user,
          web.privateAddress,
          reveal(vars.app_password),
          { [`${vars.db_name}.*`]: vars.app_privileges },
          { binlog, retiringPassword: vars.app_password_retiring && reveal(vars.app_password_retiring) },
        ),
      ),
      dbUserOnlyFrom(
        flavor,
        vars.app_user,
        webHosts.map((web) => web.privateAddress),
        { binlog },
      ),
      ...replicas.map((replica) =>
        dbUser(flavor, vars.repl_user, replica.privateAddress, reveal(vars.repl_password), replicationGrants, {
          binlog,
        }),
      ),
      dbUserOnlyFrom(
        flavor,
        vars.repl_user,
        replicas.map((replica) => replica.privateAddress),
        { binlog },
      ),
    ];
  },
});
