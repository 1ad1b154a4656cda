// The database side of a failover, per flavour: read a server's state (answers? executed GTIDs, replication),
// fence a primary (read-only now and after a restart), wait for GTIDs, promote a replica (writable, no source).
import { heredocBase64 } from "../../lib/shell.ts";
import type { DbFlavor } from "./flavor.ts";
import { parseReplicaStatus, type ReplicaStatus } from "./replica-status.ts";
import { readOnlySettings } from "./server-config.ts";
import { sqlScript } from "./sql-script.ts";

export interface ServerState {
  /** The server answered SQL (false: stopped or hung). */
  answers: boolean;
  /** Every GTID it executed, as the flavour prints them. */
  executedGtids: string;
  readOnly: boolean;
  replica: ReplicaStatus;
  /** GTIDs its replication received (applied or still in the relay log); "" when not replicating. */
  receivedGtids: string;
}

/** Drop-in that keeps a fenced former primary read-only across restarts (after the 60-foobar.cnf the roles write). */
export function fenceConfigPath(flavor: DbFlavor): string {
  return `${flavor.configDir}/${flavor.dropInPrefix}61-foobar-fenced.cnf`;
}

/** One exec printing the server's state in `Name: value` lines (SHOW REPLICA STATUS, vertically, and two of ours). */
export function serverStateScript(flavor: DbFlavor): string {
  const batch = `${flavor.client} --batch --skip-column-names`;
  return [
    `if ${batch} -e 'SELECT 1' >/dev/null 2>&1; then`,
    `  ${batch} -e "SELECT CONCAT('Executed_Gtids: ', ${flavor.executedGtids}); SELECT CONCAT('Read_Only: ', @@GLOBAL.read_only)"`,
    `  ${flavor.client} --vertical -e 'SHOW REPLICA STATUS'`,
    "else echo 'Executed_Gtids: unknown (the server does not answer)'; fi",
  ].join("\n");
}

/** A `Name: value` field; MySQL prints long GTID sets over several lines (continuations have no `Name:`). */
function multiLineField(stdout: string, name: string): string {
  const lines = stdout.split("\n");
  const start = lines.findIndex((line) => line.trimStart().startsWith(`${name}:`));
  if (start < 0) return "";
  const continuation = lines.slice(start + 1).findIndex((line) => /^\s*[A-Za-z_]+:/.test(line));
  const end = continuation < 0 ? lines.length : start + 1 + continuation;
  return [lines[start]!.replace(/^\s*[A-Za-z_]+:\s?/, ""), ...lines.slice(start + 1, end)]
    .join("")
    .replace(/\\n/g, "")
    .replace(/\s+/g, "");
}

export function parseServerState(flavor: DbFlavor, stdout: string): ServerState {
  const answers = !/^Executed_Gtids: unknown/m.test(stdout);
  return {
    answers,
    executedGtids: answers ? multiLineField(stdout, "Executed_Gtids") : "",
    readOnly: /^Read_Only: 1$/m.test(stdout),
    replica: parseReplicaStatus(flavor, stdout),
    receivedGtids: multiLineField(stdout, flavor.receivedGtidsColumn),
  };
}

/** Fence a former primary: read-only now when it answers, and in its config so a restart keeps it read-only. */
export function fenceScript(flavor: DbFlavor, answers: boolean): string {
  return [
    ...(answers ? [sqlScript(flavor, flavor.setReadOnly(true))] : []),
    heredocBase64(
      `base64 -d > ${fenceConfigPath(flavor)}`,
      [
        "# Written by playbooks/failover.ts: this server was fenced (read-only) when another was promoted to primary.",
        "[mysqld]",
        ...readOnlySettings(flavor),
        "",
      ].join("\n"),
    ),
  ].join("\n");
}

/** Undo a fence (a failover that refused after fencing), or clear an old one from a server being promoted. */
export function unfenceScript(flavor: DbFlavor): string {
  return [`rm -f ${fenceConfigPath(flavor)}`, sqlScript(flavor, flavor.setReadOnly(false))].join("\n");
}

/** Waits until `gtids` are applied or `seconds` passed; its output's last line is "0" when they were (see waited). */
export function waitForGtidsScript(flavor: DbFlavor, gtids: string, seconds: number): string {
  return sqlScript(flavor, `${flavor.waitForGtids(gtids, seconds)};`);
}

export function waited(stdout: string): boolean {
  return stdout.trim().split("\n").at(-1)?.trim() === "0";
}

/** Make a replica the primary: no replication source any more, writable now (its config is the role's business). */
export function promoteScript(flavor: DbFlavor): string {
  return [sqlScript(flavor, flavor.resetReplica), unfenceScript(flavor)].join("\n");
}
