// Resource: the replica replicates from the declared primary with GTIDs — probed every run, repaired when not:
// started when stopped, re-pointed when it points elsewhere, re-bootstrapped from a streamed dump only when
// the position cannot be resumed (SQL error, or the primary no longer has the binlogs: error 1236). A former primary
// (no replication, but GTIDs of its own) rejoins by GTID, and is re-seeded only when it holds transactions the primary lacks.
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { heredocBase64, quote } from "../../lib/shell.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import { parseReplicaStatus, verticalFromBatch, type ReplicaStatus } from "./replica-status.ts";
import { sqlScript } from "./sql-script.ts";

export interface ReplicationSource {
  host: string;
  port: number;
  user: string;
  password: string;
  /** The CA file the source's certificate is verified against (replication and the bootstrap's dump use TLS). */
  caFile: string;
  /** Databases copied by a bootstrap. */
  databases: string[];
  /** Seconds to wait for both replication threads to run after a change. */
  waitSeconds?: number;
}

/** MariaDB reports the source's fatal binlog error as 1236; MySQL 8 wraps it as 13114 "Got fatal error 1236 …". */
const POSITION_LOST_ERRNOS = [1236, 13114];

function positionLost(status: ReplicaStatus): boolean {
  return status.lastIoErrno === 1236 || (status.lastIoErrno === 13114 && status.lastIoError.includes("1236"));
}

export type ReplicationAction = { kind: "none" } | { kind: "start" | "repoint" | "rejoin" | "bootstrap"; why: string };

/** The replica status plus the GTIDs the server has executed ("" for a fresh server). */
export type ReplicationState = ReplicaStatus & { ownGtids?: string };

const OWN_GTIDS = "Own_Gtids";

/** What to do about the replica, and why (the reason is what the report shows). */
export function decide(status: ReplicationState, source: ReplicationSource): ReplicationAction {
  if (!status.configured && status.ownGtids)
    return { kind: "rejoin", why: `not replicating, but holds transactions (${status.ownGtids}): a former primary` };
  if (!status.configured) return { kind: "bootstrap", why: "replication is not configured" };
  if (status.lastSqlErrno !== 0)
    return { kind: "bootstrap", why: `SQL thread stopped with error ${status.lastSqlErrno}: ${status.lastSqlError}` };
  if (positionLost(status))
    return {
      kind: "bootstrap",
      why: `the primary cannot serve the replica's position (it holds transactions the primary lacks, or the primary purged them): ${status.lastIoError}`,
    };
  const expected = `${source.user}@${source.host}:${source.port}`;
  const actual = `${status.sourceUser}@${status.sourceHost}:${status.sourcePort}`;
  if (actual !== expected) return { kind: "repoint", why: `replicates from ${actual}, expected ${expected}` };
  if (!status.usesGtid) return { kind: "repoint", why: "not using GTID positioning" };
  if (status.verifiedTlsCa !== source.caFile)
    return { kind: "repoint", why: `not over TLS with the source's certificate verified against ${source.caFile}` };
  if (status.ioRunning !== "Yes" || status.sqlRunning !== "Yes") {
    const ioError = status.lastIoErrno !== 0 ? `; IO error ${status.lastIoErrno}: ${status.lastIoError}` : "";
    return {
      kind: "start",
      why: `replication stopped (IO thread ${status.ioRunning || "?"}, SQL thread ${status.sqlRunning || "?"})${ioError}`,
    };
  }
  return { kind: "none" };
}

function field(column: string): string {
  return `$(echo "$status" | sed -n 's/^ *${column}: //p')`;
}

/** Shell functions of the apply script (here-documents inside stay unindented: their end marker must start a line): read status, wait for both threads, bootstrap from a streamed dump. */
function applyScript(flavor: DbFlavor, source: ReplicationSource, action: ReplicationAction): string {
  const changeAndStart = sqlScript(
    flavor,
    `STOP REPLICA;\n${flavor.changeSource(source.host, source.port, source.user, source.password, source.caFile)};\nSTART REPLICA;`,
  );
  const clientOptions = `[client]\nuser=${source.user}\npassword="${source.password.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"\nhost=${source.host}\nport=${source.port}\n${flavor.clientTls(source.caFile).join("\n")}\n`;
  const waitSteps = (source.waitSeconds ?? 30) * 5;
  return [
    `replica_status() { ${flavor.client} --vertical -e 'SHOW REPLICA STATUS'; }`,
    "wait_running() {",
    "  i=0",
    `  while [ "$i" -lt ${waitSteps} ]; do`,
    "    status=$(replica_status)",
    `    io=${field(flavor.columns.ioRunning)}; sq=${field(flavor.columns.sqlRunning)}`,
    `    ioerr=${field("Last_IO_Errno")}; sqlerr=${field("Last_SQL_Errno")}`,
    `    [ "$io" = Yes ] && [ "$sq" = Yes ] && return 0`,
    `    case "$ioerr" in ${POSITION_LOST_ERRNOS.join("|")}) return 2 ;; esac`,
    `    [ "\${sqlerr:-0}" != 0 ] && return 2`,
    "    sleep 0.2; i=$((i + 1))",
    "  done",
    "  return 1",
    "}",
    // The replication account's client options, for the dump and the errant-transaction check (0600, removed on exit).
    'cnf=$(mktemp); failed=$(mktemp); trap \'rm -f "$cnf" "$failed"\' EXIT',
    `chmod 600 "$cnf"`,
    heredocBase64('base64 -d > "$cnf"', clientOptions),
    "bootstrap() {",
    `  echo "bootstrapping from ${source.host}: streaming ${source.databases.join(", ")} from the primary" >&2`,
    sqlScript(flavor, flavor.resetReplica),
    flavor.resetBeforeImport,
    // The import is not the replica's own history: kept out of its binary log, or its GTIDs would clash with the primary's.
    ...(flavor.rootWrites.allow ? [sqlScript(flavor, flavor.rootWrites.allow)] : []),
    `  imported=0; { echo 'SET SESSION sql_log_bin = 0;'; ${flavor.dump} --defaults-extra-file="$cnf" ${flavor.dumpOptions.join(" ")}${flavor.probedDumpOptions ? ` $(${flavor.probedDumpOptions})` : ""} --databases ${source.databases.map(quote).join(" ")} || echo failed > "$failed"; } | ${flavor.client} --batch || imported=$?`,
    ...(flavor.rootWrites.end ? [sqlScript(flavor, flavor.rootWrites.end)] : []),
    `  if [ -s "$failed" ] || [ "$imported" != 0 ]; then echo "dump from ${source.host} failed (see above)" >&2; exit 1; fi`,
    changeAndStart,
    `  rc=0; wait_running || rc=$?`,
    `  if [ "$rc" != 0 ]; then echo "replication did not start after the bootstrap:" >&2; replica_status | grep -E 'Running|Errno|Error' >&2; exit 1; fi`,
    "}",
    action.kind === "bootstrap"
      ? "bootstrap"
      : action.kind === "rejoin"
        ? rejoinScript(flavor, source, changeAndStart)
        : [
            changeAndStart,
            "rc=0; wait_running || rc=$?",
            `if [ "$rc" = 2 ]; then bootstrap; elif [ "$rc" != 0 ]; then echo "replication did not start:" >&2; replica_status | grep -E 'Running|Errno|Error' >&2; exit 1; fi`,
          ].join("\n"),
  ].join("\n");
}

/** A former primary: replicate from its own binary log position; re-seed when it holds transactions the primary lacks
 *  (MySQL: checked against the primary's GTIDs; MariaDB: gtid_strict_mode makes the primary refuse with error 1236). */
function rejoinScript(flavor: DbFlavor, source: ReplicationSource, changeAndStart: string): string {
  const reseed = `re-seeding from a dump of ${source.host}`;
  const errantCheck = flavor.subtractGtids
    ? [
        `primary_gtids=$(${flavor.client} --defaults-extra-file="$cnf" --batch --skip-column-names -e 'SELECT ${flavor.executedGtids}')`,
        `errant=$(${flavor.client} --batch --skip-column-names -e "${flavor.subtractGtids(flavor.executedGtids, "'$primary_gtids'")}")`,
        `if [ -n "$errant" ]; then echo "holds transactions ${source.host} lacks ($errant): ${reseed}" >&2; bootstrap; exit 0; fi`,
      ]
    : [];
  return [
    ...errantCheck,
    ...(flavor.adoptOwnPosition ? [sqlScript(flavor, flavor.adoptOwnPosition)] : []),
    changeAndStart,
    "rc=0; wait_running || rc=$?",
    `if [ "$rc" = 2 ]; then echo "rejoin by GTID refused ($(replica_status | sed -n 's/^ *Last_IO_Error: //p')): ${reseed}" >&2; bootstrap; elif [ "$rc" != 0 ]; then echo "replication did not start:" >&2; replica_status | grep -E 'Running|Errno|Error' >&2; exit 1; fi`,
  ].join("\n");
}

const ACTION_TEXT = {
  start: "start",
  repoint: "re-point",
  rejoin: "rejoin by GTID (re-seeded from a dump of the primary if it holds transactions the primary lacks)",
  bootstrap: "re-bootstrap from a dump of the primary",
} as const;

export function replication(flavor: DbFlavor, source: ReplicationSource): Resource<ReplicationState> {
  return {
    id: "db-replication",
    ...commonFields(),
    // Read in the exec's one SQL session with the other read-only probes (column names on: each statement prints a
    // header and one row); the executed GTIDs read as one more `Own_Gtids: …` field.
    probe: () =>
      sqlProbe(flavor.probeClient, ["SHOW REPLICA STATUS", `SELECT ${flavor.executedGtids} AS ${OWN_GTIDS}`], {
        columnNames: true,
      }),
    parse: (stdout) => {
      const fields = verticalFromBatch(stdout);
      return {
        ...parseReplicaStatus(flavor, fields),
        ownGtids: new RegExp(`^${OWN_GTIDS}: ?(.*)$`, "m").exec(fields)?.[1]?.trim() ?? "",
      };
    },
    plan(status): Change[] {
      const action = decide(status, source);
      return action.kind === "none" ? [] : [{ summary: `${action.why} -> ${ACTION_TEXT[action.kind]}` }];
    },
    apply: (status) => applyScript(flavor, source, decide(status, source)),
  };
}
