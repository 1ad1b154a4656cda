// Resource: a database account with the declared password and exactly the declared privileges.
import { quote, sh } from "../../lib/shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { sqlCommand, sqlProbe } from "../../lib/facts/sql-batch.ts";
import { describeGrants, grantLines, grantStatements, normaliseGrants, parseShowGrants, sameGrants, type Grants } from "./grants.ts";
import { FINGERPRINT_DIR, nativePasswordHash, passwordFingerprint } from "./password-check.ts";
import { account, sqlString } from "./sql.ts";
import { sqlScript } from "./sql-script.ts";

export interface DbUserOptions extends CommonOptions {
  /** false: statements are kept out of the binary log (accounts of the primary are not replicated). */
  binlog?: boolean;
}

interface DbUserState {
  exists: boolean;
  passwordMatches: boolean;
  grants: Map<string, string[]>;
}

export function dbUser(flavor: DbFlavor, user: string, host: string, password: string, grants: Grants, options: DbUserOptions = {}): Resource<DbUserState> {
  const id = `db-user:${user}@${host}`;
  const wanted = normaliseGrants(grants);
  const who = account(user, host);
  const fingerprintFile = `${FINGERPRINT_DIR}/${user}@${host}`;
  const where = `User=${sqlString(user)} AND Host=${sqlString(host)}`;
  // One client session answers existence, password and grants (SHOW GRANTS fails last when the account is missing).
  const statements = [
    `SELECT CONCAT('exists ', COUNT(*)) FROM mysql.user WHERE ${where}`,
    ...(flavor.passwordCheck === "native-hash" ? [`SELECT CONCAT('password ', COUNT(*)) FROM mysql.user WHERE ${where} AND authentication_string=${sqlString(nativePasswordHash(password))}`] : []),
    `SHOW GRANTS FOR ${who}`,
  ];
  // MySQL's fingerprint file is read by the shell, so that probe runs on its own; MariaDB's is pure SQL (batched).
  const probe =
    flavor.passwordCheck === "native-hash"
      ? sqlProbe(flavor.client, statements)
      : [sqlCommand(flavor.client, statements), sh`[ "$(cat ${fingerprintFile} 2>/dev/null)" = ${passwordFingerprint(user, host, password)} ] && echo 'password 1' || echo 'password 0'`].join("\n");
  return {
    id,
    ...commonFields(options),
    probe: () => probe,
    parse(stdout) {
      const lines = stdout.split("\n");
      const value = (key: string) => lines.find((line) => line.startsWith(`${key} `))?.slice(key.length + 1).trim();
      return {
        exists: value("exists") === "1",
        passwordMatches: value("password") === "1",
        grants: parseShowGrants(grantLines(lines)),
      };
    },
    plan(state): Change[] {
      if (!state.exists) return [{ summary: `create with ${describeGrants(wanted)}` }];
      const changes: Change[] = [];
      if (!state.passwordMatches) changes.push({ summary: "password" });
      if (!sameGrants(state.grants, wanted)) changes.push({ summary: `privileges ${describeGrants(state.grants)} -> ${describeGrants(wanted)}` });
      return changes;
    },
    apply(state) {
      const statements = [
        ...(options.binlog === false ? ["SET SESSION sql_log_bin = 0;"] : []),
        `CREATE USER IF NOT EXISTS ${who} IDENTIFIED BY ${sqlString(password)};`,
        ...(state.exists && !state.passwordMatches ? [`ALTER USER ${who} IDENTIFIED BY ${sqlString(password)};`] : []),
        ...grantStatements(who, wanted, state.exists),
      ];
      const fingerprint =
        flavor.passwordCheck === "fingerprint-file"
          ? [sh`install -d -m 0700 ${FINGERPRINT_DIR}`, `umask 077; printf '%s' ${quote(passwordFingerprint(user, host, password))} > ${quote(fingerprintFile)}`]
          : [];
      return [sqlScript(flavor, statements.join("\n")), ...fingerprint].join("\n");
    },
  };
}

/** Resource: accounts named `user` exist only for `hosts` (others, e.g. a stray 'app'@'%', are dropped). */
export function dbUserOnlyFrom(flavor: DbFlavor, user: string, hosts: string[], options: DbUserOptions = {}): Resource<string[]> {
  return {
    id: `db-user-hosts:${user}`,
    ...commonFields(options),
    probe: () => sqlProbe(flavor.client, [`SELECT Host FROM mysql.user WHERE User=${sqlString(user)}`]),
    parse: (stdout) => stdout.split("\n").map((line) => line.trim()).filter(Boolean),
    plan: (present) => {
      const extra = present.filter((host) => !hosts.includes(host));
      return extra.length > 0 ? [{ summary: `drop ${extra.map((host) => `${user}@${host}`).join(", ")} (not allowed)` }] : [];
    },
    apply: (present) =>
      sqlScript(flavor, [...(options.binlog === false ? ["SET SESSION sql_log_bin = 0;"] : []), ...present.filter((host) => !hosts.includes(host)).map((host) => `DROP USER ${account(user, host)};`)].join("\n")),
  };
}
