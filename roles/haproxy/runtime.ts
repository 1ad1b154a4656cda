// HAProxy's runtime API as shell commands run on the load balancer: set a server's state, read its stats.
import { quote } from "../../lib/shell.ts";
import { BACKEND, RUNTIME_SOCKET } from "./index.ts";

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

/** Parse `show stat` CSV into the stats of one server of the web backend; undefined when absent. */
export function parseServerStat(csv: string, server: string): ServerStat | undefined {
  const [header, ...rows] = csv.split("\n").filter((line) => line.trim() !== "");
  if (!header?.startsWith("# ")) return undefined;
  const columns = header.slice(2).split(",");
  const at = (name: string) => columns.indexOf(name);
  for (const row of rows) {
    const fields = row.split(",");
    if (fields[at("pxname")] === BACKEND && fields[at("svname")] === server) {
      return { status: fields[at("status")] ?? "", sessions: Number(fields[at("scur")] ?? 0) };
    }
  }
  return undefined;
}
