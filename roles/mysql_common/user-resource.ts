// Resource: a database account with the declared password and exactly the declared privileges.
import { quote, sh } from "../../lib/shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { shellProbe, type Probe } from "../../lib/facts/probe.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import {
  describeGrants,
  grantLines,
  grantStatements,
  normaliseGrants,
  parseShowGrants,
  sameGrants,
  type Grants,
} from "./grants.ts";
import { FINGERPRINT_DIR, nativePasswordHash, passwordFingerprint } from "./password-check.ts";
import { account, sqlString } from "./sql.ts";
import { sqlScriptPastReadOnly } from "./sql-script.ts";

export interface DbUserOptions extends CommonOptions {
  /** false: statements are kept out of the binary log (accounts of the primary are not replicated). */
  binlog?: boolean;
  /**
   * While a rotation runs: the old password, accepted beside the new one until every client has switched
   * (MariaDB: a second authentication alternative; MySQL 8: RETAIN CURRENT PASSWORD). Unset: one password only.
   */
  retiringPassword?: string;
}

interface DbUserState {
  exists: boolean;
  /** The declared password is the account's main one. */
  passwordMatches: boolean;
  /** Passwords the account accepts beside its main one (MariaDB auth_or alternatives, MySQL's secondary). */
  extraPasswords: number;
  /** MariaDB: the second alternative is the retiring password (MySQL cannot tell: a secondary counts as it). */
  retiringAccepted: boolean;
  grants: Map<string, string[]>;
}

/** Statements that leave the account with `password` as its main one and, when rotating, `retiring` beside it. */
function passwordStatements(
  flavor: DbFlavor,
  who: string,
  password: string,
  retiring: string | undefined,
  state: DbUserState | undefined,
): string[] {
  if (flavor.name === "mariadb") {
    return retiring === undefined
      ? [`ALTER USER ${who} ${flavor.identifiedBy(password)};`]
      : [
          `ALTER USER ${who} IDENTIFIED VIA mysql_native_password USING PASSWORD(${sqlString(password)}) OR mysql_native_password USING PASSWORD(${sqlString(retiring)});`,
        ];
  }
  if (retiring === undefined) {
    return [
      ...(state?.passwordMatches ? [] : [`ALTER USER ${who} ${flavor.identifiedBy(password)};`]),
      ...(state?.extraPasswords ? [`ALTER USER ${who} DISCARD OLD PASSWORD;`] : []),
    ];
  }
  // RETAIN CURRENT PASSWORD keeps whatever is main now: make that the retiring password first if the new one is main already.
  return [
    ...(state?.passwordMatches ? [`ALTER USER ${who} ${flavor.identifiedBy(retiring)};`] : []),
    `ALTER USER ${who} ${flavor.identifiedBy(password)} RETAIN CURRENT PASSWORD;`,
  ];
}

export function dbUser(
  flavor: DbFlavor,
  user: string,
  host: string,
  password: string,
  grants: Grants,
  options: DbUserOptions = {},
): Resource<DbUserState> {
  const id = `db-user:${user}@${host}`;
  const wanted = normaliseGrants(grants);
  const who = account(user, host);
  const fingerprintFile = `${FINGERPRINT_DIR}/${user}@${host}`;
  const where = `User=${sqlString(user)} AND Host=${sqlString(host)}`;
  const retiring = options.retiringPassword;
  // MariaDB keeps the main method at the top of global_priv.Priv and every alternative in auth_or ({} standing for the main one).
  const passwordProbes =
    flavor.passwordCheck === "native-hash"
      ? [
          `SELECT CONCAT('password ', COUNT(*)) FROM mysql.global_priv WHERE ${where} AND JSON_VALUE(Priv, '$.authentication_string')=${sqlString(nativePasswordHash(password))}`,
          `SELECT CONCAT('extra ', COALESCE(MAX(JSON_LENGTH(Priv, '$.auth_or')), 1) - 1) FROM mysql.global_priv WHERE ${where}`,
          ...(retiring === undefined
            ? []
            : [
                `SELECT CONCAT('retiring ', COUNT(*)) FROM mysql.global_priv WHERE ${where} AND JSON_VALUE(Priv, '$.auth_or[1].authentication_string')=${sqlString(nativePasswordHash(retiring))}`,
              ]),
        ]
      : [
          `SELECT CONCAT('extra ', COUNT(*)) FROM mysql.user WHERE ${where} AND JSON_EXTRACT(User_attributes, '$.additional_password') IS NOT NULL`,
          `SELECT CONCAT('plugin ', plugin) FROM mysql.user WHERE ${where}`,
        ];
  // One client session answers existence, password and grants (SHOW GRANTS fails last when the account is missing).
  const statements = [
    `SELECT CONCAT('exists ', COUNT(*)) FROM mysql.user WHERE ${where}`,
    ...passwordProbes,
    `SHOW GRANTS FOR ${who}`,
  ];
  // MySQL's fingerprint file is read by the shell, so that probe runs on its own; MariaDB's is pure SQL (batched).
  const probe: Probe =
    flavor.passwordCheck === "native-hash"
      ? sqlProbe(flavor.probeClient, statements)
      : [
          sqlProbe(flavor.probeClient, statements),
          shellProbe(
            sh`[ "$(cat ${fingerprintFile} 2>/dev/null)" = ${passwordFingerprint(user, host, password)} ] && echo 'password 1' || echo 'password 0'`,
          ),
        ];
  const passwordsAsDeclared = (state: DbUserState) =>
    state.passwordMatches &&
    (retiring === undefined ? state.extraPasswords === 0 : state.extraPasswords === 1 && state.retiringAccepted);
  return {
    id,
    ...commonFields(options),
    probe: () => probe,
    parse(stdout) {
      const lines = stdout.split("\n");
      const value = (key: string) =>
        lines
          .find((line) => line.startsWith(`${key} `))
          ?.slice(key.length + 1)
          .trim();
      const extraPasswords = Number(value("extra") ?? 0);
      return {
        exists: value("exists") === "1",
        // An account on another plugin (mysql_native_password, from before MySQL 9) gets the password again on the declared one.
        passwordMatches:
          value("password") === "1" &&
          (flavor.passwordPlugin === undefined || value("plugin") === flavor.passwordPlugin),
        extraPasswords,
        retiringAccepted: flavor.passwordCheck === "native-hash" ? value("retiring") === "1" : extraPasswords > 0,
        grants: parseShowGrants(grantLines(lines)),
      };
    },
    plan(state): Change[] {
      if (!state.exists)
        return [
          {
            summary: `create with ${describeGrants(wanted)}${retiring === undefined ? "" : ", accepting the retiring password too"}`,
          },
        ];
      const changes: Change[] = [];
      if (!passwordsAsDeclared(state))
        changes.push({
          summary:
            retiring === undefined
              ? state.extraPasswords
                ? "password (the retiring one dropped)"
                : "password"
              : "password (new, the retiring one still accepted)",
        });
      if (!sameGrants(state.grants, wanted))
        changes.push({ summary: `privileges ${describeGrants(state.grants)} -> ${describeGrants(wanted)}` });
      return changes;
    },
    apply(state) {
      const statements = [
        ...(options.binlog === false ? ["SET SESSION sql_log_bin = 0;"] : []),
        `CREATE USER IF NOT EXISTS ${who} ${flavor.identifiedBy(password)};`,
        ...(state.exists
          ? passwordsAsDeclared(state)
            ? []
            : passwordStatements(flavor, who, password, retiring, state)
          : retiring === undefined
            ? []
            : passwordStatements(flavor, who, password, retiring, undefined)),
        ...grantStatements(who, wanted, state.exists),
      ];
      const fingerprint =
        flavor.passwordCheck === "fingerprint-file"
          ? [
              sh`install -d -m 0700 ${FINGERPRINT_DIR}`,
              `umask 077; printf '%s' ${quote(passwordFingerprint(user, host, password))} > ${quote(fingerprintFile)}`,
            ]
          : [];
      return [sqlScriptPastReadOnly(flavor, statements.join("\n")), ...fingerprint].join("\n");
    },
  };
}

/** Resource: accounts named `user` exist only for `hosts` (others, e.g. a stray 'app'@'%', are dropped). */
export function dbUserOnlyFrom(
  flavor: DbFlavor,
  user: string,
  hosts: string[],
  options: DbUserOptions = {},
): Resource<string[]> {
  return {
    id: `db-user-hosts:${user}`,
    ...commonFields(options),
    probe: () => sqlProbe(flavor.probeClient, [`SELECT Host FROM mysql.user WHERE User=${sqlString(user)}`]),
    parse: (stdout) =>
      stdout
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    plan: (present) => {
      const extra = present.filter((host) => !hosts.includes(host));
      return extra.length > 0
        ? [{ summary: `drop ${extra.map((host) => `${user}@${host}`).join(", ")} (not allowed)` }]
        : [];
    },
    apply: (present) =>
      sqlScriptPastReadOnly(
        flavor,
        [
          ...(options.binlog === false ? ["SET SESSION sql_log_bin = 0;"] : []),
          ...present.filter((host) => !hosts.includes(host)).map((host) => `DROP USER ${account(user, host)};`),
        ].join("\n"),
      ),
  };
}
