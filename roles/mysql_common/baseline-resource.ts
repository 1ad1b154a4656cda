// Resource: the server's security baseline — no anonymous accounts, root only on localhost, no `test` database.
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { account } from "./sql.ts";
import { sqlScriptPastReadOnly } from "./sql-script.ts";

interface Baseline {
  anonymous: string[];
  remoteRoot: string[];
  testDatabase: boolean;
}

const LOCAL_HOSTS = ["localhost"];

export function dbBaseline(flavor: DbFlavor): Resource<Baseline> {
  return {
    id: "db-baseline",
    ...commonFields(),
    probe: () =>
      sqlProbe(flavor.probeClient, [
        "SELECT CONCAT('anonymous ', Host) FROM mysql.user WHERE User=''",
        `SELECT CONCAT('root ', Host) FROM mysql.user WHERE User='root' AND Host NOT IN (${LOCAL_HOSTS.map((host) => `'${host}'`).join(", ")})`,
        "SELECT 'test-database' FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='test'",
      ]),
    parse(stdout) {
      const lines = stdout.split("\n").map((line) => line.trim());
      const hostsOf = (prefix: string) =>
        lines.filter((line) => line.startsWith(`${prefix} `)).map((line) => line.slice(prefix.length + 1));
      return {
        anonymous: hostsOf("anonymous"),
        remoteRoot: hostsOf("root"),
        testDatabase: lines.includes("test-database"),
      };
    },
    plan(state): Change[] {
      return [
        ...(state.anonymous.length > 0 ? [{ summary: `drop anonymous accounts (${state.anonymous.join(", ")})` }] : []),
        ...(state.remoteRoot.length > 0
          ? [{ summary: `drop remote root accounts (${state.remoteRoot.join(", ")})` }]
          : []),
        ...(state.testDatabase ? [{ summary: "drop the test database" }] : []),
      ];
    },
    apply: (state) =>
      sqlScriptPastReadOnly(
        flavor,
        [
          "SET SESSION sql_log_bin = 0;",
          ...state.anonymous.map((host) => `DROP USER ${account("", host)};`),
          ...state.remoteRoot.map((host) => `DROP USER ${account("root", host)};`),
          ...(state.testDatabase ? ["DROP DATABASE test;"] : []),
        ].join("\n"),
      ),
  };
}
