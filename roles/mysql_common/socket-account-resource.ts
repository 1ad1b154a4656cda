// Resource: a local account that logs in through the unix socket as the OS user of the same name (no password at
// all: MariaDB `unix_socket`, MySQL `auth_socket`), with exactly the declared privileges — for local agents.
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import * as privileges from "./grants.ts";
import { account, sqlString } from "./sql.ts";
import { sqlScriptPastReadOnly } from "./sql-script.ts";

interface SocketAccountState {
  plugin: string | undefined;
  grants: Map<string, string[]>;
}

export function dbSocketAccount(
  flavor: DbFlavor,
  user: string,
  grants: privileges.Grants,
): Resource<SocketAccountState> {
  const wanted = privileges.normaliseGrants(grants);
  const who = account(user, "localhost");
  const plugin = flavor.name === "mariadb" ? "unix_socket" : "auth_socket";
  const identified = flavor.name === "mariadb" ? "IDENTIFIED VIA unix_socket" : "IDENTIFIED WITH auth_socket";
  return {
    id: `db-socket-account:${user}`,
    ...commonFields(),
    probe: () =>
      sqlProbe(flavor.probeClient, [
        `SELECT CONCAT('plugin ', plugin) FROM mysql.user WHERE User=${sqlString(user)} AND Host='localhost'`,
        `SHOW GRANTS FOR ${who}`,
      ]),
    parse(stdout) {
      const lines = stdout.split("\n");
      const found = lines
        .find((line) => line.startsWith("plugin "))
        ?.slice(7)
        .trim();
      return { plugin: found || undefined, grants: privileges.parseShowGrants(privileges.grantLines(lines)) };
    },
    plan(state): Change[] {
      if (!state.plugin) return [{ summary: `create (socket login) with ${privileges.describeGrants(wanted)}` }];
      return [
        ...(state.plugin !== plugin ? [{ summary: `authentication ${state.plugin} -> ${plugin}` }] : []),
        ...(privileges.sameGrants(state.grants, wanted)
          ? []
          : [
              {
                summary: `privileges ${privileges.describeGrants(state.grants)} -> ${privileges.describeGrants(wanted)}`,
              },
            ]),
      ];
    },
    apply: (state) =>
      sqlScriptPastReadOnly(
        flavor,
        [
          "SET SESSION sql_log_bin = 0;",
          `CREATE USER IF NOT EXISTS ${who} ${identified};`,
          ...(state.plugin && state.plugin !== plugin ? [`ALTER USER ${who} ${identified};`] : []),
          ...privileges.grantStatements(who, wanted, Boolean(state.plugin)),
        ].join("\n"),
      ),
  };
}
