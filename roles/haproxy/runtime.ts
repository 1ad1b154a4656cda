// HAProxy's runtime API as shell commands run on the load balancer: set a server's state, read its stats and its
// administrative state, and the drain marks that say who took a server out of rotation on purpose, until when.
import { quote } from "../../lib/shell.ts";

/** Runtime API socket (drain/ready during deploys, the converge's check of the servers' states). */
export const RUNTIME_SOCKET = "/run/haproxy/admin.sock";
/** The web tier's backend in haproxy.cfg. */
export const BACKEND = "foobar_web";

export type ServerAdminState = "ready" | "drain" | "maint";

/** Shell command sending one runtime API command to the admin socket (socat comes with the role). */
export function runtimeCommand(command: string): string {
  return `echo ${quote(command)} | socat -t 5 stdio ${RUNTIME_SOCKET}`;
}

export function setServerState(server: string, state: ServerAdminState): string {
  return runtimeCommand(`set server ${BACKEND}/${server} state ${state}`);
}

/** `show stat` of the web backend's servers only (CSV). */
export const SHOW_SERVER_STATS = runtimeCommand("show stat -1 4 -1");

export interface ServerStat {
  /** e.g. "UP", "DOWN", "DRAIN", "MAINT", "UP 1/2". */
  status: string;
  /** Current sessions. */
  sessions: number;
}

/**
 * `show stat` CSV as one record per row holding the `wanted` columns, found by the names of its `# pxname` header line
 * ("" for a column the header lacks); [] without a header. Only the wanted ones: a row has about 200 columns.
 */
export function statRows<Column extends string>(csv: string, wanted: readonly Column[]): Record<Column, string>[] {
  const lines = csv.split("\n").filter((line) => line.trim() !== "");
  const at = lines.findIndex((line) => line.startsWith("# pxname,"));
  if (at < 0) return [];
  const [header, ...rows] = lines.slice(at) as [string, ...string[]];
  const columns = header.slice(2).split(",");
  const positions = wanted.map((column) => [column, columns.indexOf(column)] as const);
  return rows.map((row) => {
    const fields = row.split(",");
    return Object.fromEntries(
      positions.map(([column, index]) => [column, index < 0 ? "" : (fields[index] ?? "")]),
    ) as Record<Column, string>;
  });
}

/** Parse `show stat` CSV into the stats of one server of the web backend; undefined when absent. */
export function parseServerStat(csv: string, server: string): ServerStat | undefined {
  const row = statRows(csv, ["pxname", "svname", "status", "scur"]).find(
    (fields) => fields.pxname === BACKEND && fields.svname === server,
  );
  return row && { status: row.status, sessions: Number(row.scur || 0) };
}

/**
 * Drain marks: one file per server a playbook took out of rotation on purpose (deploy.ts, failover.ts, a password
 * rotation), on tmpfs like HAProxy's own runtime state. A converge puts a server back only when no unexpired mark
 * names it, so it never ends a drain in progress; a mark left by a killed run expires.
 */
export const DRAIN_MARKS = "/run/foobar/haproxy-drains";

export interface DrainMark {
  /** Who drains, one word for messages: "deploy.ts:debian@controller" (whitespace becomes _). */
  holder: string;
  /** Unix time after which the mark no longer holds. */
  until: number;
}

const markPath = (server: string) => `${DRAIN_MARKS}/${BACKEND}.${server}`;

/** Write the mark, then drain: one command per load balancer. */
export function drainWithMark(server: string, mark: DrainMark): string {
  const line = `until=${mark.until} holder=${mark.holder.replace(/\s+/g, "_")}`;
  return `mkdir -p ${DRAIN_MARKS} && echo ${quote(line)} > ${markPath(server)} && ${setServerState(server, "drain")}`;
}

/** Ready again, then drop the mark. */
export function readyAndUnmark(server: string): string {
  return `${setServerState(server, "ready")} && rm -f ${markPath(server)}`;
}

export function removeMarks(servers: readonly string[]): string {
  return `rm -f ${servers.map((server) => quote(markPath(server))).join(" ")}`;
}

/** Prints `mark <server> until=<t> holder=<who>` per mark file of the web backend. */
export const SHOW_DRAIN_MARKS = `for mark in ${DRAIN_MARKS}/${BACKEND}.*; do [ -f "$mark" ] && echo "mark \${mark##*/${BACKEND}.} $(cat "$mark")"; done; true`;

export function parseDrainMarks(stdout: string): Map<string, DrainMark> {
  const marks = new Map<string, DrainMark>();
  for (const line of stdout.split("\n")) {
    const found = /^mark (\S+) until=(\d+) holder=(\S*)$/.exec(line);
    if (found) marks.set(found[1]!, { until: Number(found[2]), holder: found[3]! });
  }
  return marks;
}
