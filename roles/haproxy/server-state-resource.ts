// Resource: the web backend's servers as HAProxy runs them, every field the config sets and the runtime API can change
// (admin state, weight, address, port, health checks, maxconn, the set of servers); a drain a playbook's mark holds
// (deploy.ts, failover.ts) is left alone, expired marks are removed.
import { shellProbe } from "../../lib/facts/probe.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { ConfiguredServer } from "./configured.ts";
import {
  BACKEND,
  parseDrainMarks,
  removeMarks,
  runtimeCommand,
  SHOW_DRAIN_MARKS,
  statRows,
  type DrainMark,
} from "./runtime.ts";

/** `srv_admin_state` bits set from the runtime API (forced), as opposed to inherited or from the config. */
const FORCED_MAINT = 0x01;
const FORCED_DRAIN = 0x08;
/** `srv_check_state` bits: health checks configured, and enabled (`disable health` clears it). */
const CHECK_CONFIGURED = 0x02;
const CHECK_ENABLED = 0x04;

export interface RunningServer {
  name: string;
  admin: "maint" | "drain" | "ready";
  weight: number;
  configuredWeight: number;
  address: string;
  port: number;
  /** Health checks configured but disabled at runtime (`disable health`). */
  checkDisabled: boolean;
  /** `show stat`'s slim: the server's maxconn, 0 for none. */
  maxconn: number;
}

export interface BackendState {
  /** Empty when HAProxy does not answer (not running yet): nothing to put back. */
  servers: RunningServer[];
  marks: Map<string, DrainMark>;
  now: number;
}

/** `show servers state <backend>` (format 1): named columns after a `#` header line. */
export function parseServersState(stdout: string): RunningServer[] {
  const lines = stdout.split("\n");
  const header = lines.find((line) => line.startsWith("# be_id "));
  if (!header) return [];
  const columns = header.slice(2).split(" ");
  const at = (fields: string[], name: string) => fields[columns.indexOf(name)] ?? "";
  return lines
    .filter((line) => /^\d+ /.test(line))
    .map((line) => line.split(" "))
    .filter((fields) => at(fields, "be_name") === BACKEND)
    .map((fields) => {
      const admin = Number(at(fields, "srv_admin_state"));
      const check = Number(at(fields, "srv_check_state"));
      return {
        name: at(fields, "srv_name"),
        admin: admin & FORCED_MAINT ? "maint" : admin & FORCED_DRAIN ? "drain" : "ready",
        weight: Number(at(fields, "srv_uweight")),
        configuredWeight: Number(at(fields, "srv_iweight")),
        address: at(fields, "srv_addr"),
        port: Number(at(fields, "srv_port")),
        checkDisabled: (check & CHECK_CONFIGURED) !== 0 && (check & CHECK_ENABLED) === 0,
        maxconn: 0,
      };
    });
}

/** The servers of `show servers state`, with each one's maxconn from the `show stat` CSV printed after it. */
export function parseBackend(stdout: string): RunningServer[] {
  const limits = new Map(
    statRows(stdout, ["pxname", "svname", "slim"])
      .filter((row) => row.pxname === BACKEND)
      .map((row) => [row.svname, Number(row.slim || 0)]),
  );
  return parseServersState(stdout).map((server) => ({ ...server, maxconn: limits.get(server.name) ?? 0 }));
}

const holds = (mark: DrainMark | undefined, now: number): mark is DrainMark => mark !== undefined && mark.until > now;

/** One difference of one server: what --check says, and the runtime API command that repairs it. */
interface Repair {
  server: string;
  summary: string;
  commands: string[];
}

const on = (server: string) => `${BACKEND}/${server}`;

/** Every field of `server` that differs from its configuration, each with its repair. */
function fieldRepairs(server: RunningServer, wanted: ConfiguredServer): Repair[] {
  const repairs: Repair[] = [];
  const add = (summary: string, command: string) =>
    repairs.push({ server: server.name, summary, commands: [runtimeCommand(command)] });
  if (server.weight !== server.configuredWeight)
    add(
      `weight ${server.weight} -> ${server.configuredWeight}`,
      `set server ${on(server.name)} weight ${server.configuredWeight}`,
    );
  const address = wanted.address ?? server.address;
  const port = wanted.port ?? server.port;
  if (server.address !== address || server.port !== port)
    add(
      `address ${server.address}:${server.port} -> ${address}:${port}`,
      `set server ${on(server.name)} addr ${address} port ${port}`,
    );
  if (wanted.check && server.checkDisabled)
    add("health checks disabled -> enabled", `enable health ${on(server.name)}`);
  if (server.maxconn !== wanted.maxconn)
    add(`maxconn ${server.maxconn} -> ${wanted.maxconn}`, `set maxconn server ${on(server.name)} ${wanted.maxconn}`);
  return repairs;
}

/**
 * The servers as the config sets them. `configured`: haproxy.cfg's servers of the web backend (configured.ts); a server
 * added at runtime (`add server`) is taken out and deleted, one deleted at runtime is brought back by a reload.
 */
export function backendServers(configured: readonly ConfiguredServer[]): Resource<BackendState> {
  const wanted = new Map(configured.map((server) => [server.name, server]));
  const repairs = (state: BackendState): Repair[] => {
    if (state.servers.length === 0) return []; // HAProxy does not answer (not running yet): the service starts it
    const running = new Set(state.servers.map((server) => server.name));
    return [
      ...state.servers.flatMap((server): Repair[] => {
        const config = wanted.get(server.name);
        if (!config)
          return [
            {
              server: server.name,
              summary: "not in the config (added at runtime) -> deleted",
              commands: [
                runtimeCommand(`set server ${on(server.name)} state maint`),
                runtimeCommand(`shutdown sessions server ${on(server.name)}`),
                runtimeCommand(`del server ${on(server.name)}`),
              ],
            },
          ];
        const mark = state.marks.get(server.name);
        const holder = mark?.holder;
        const admin: Repair[] =
          server.admin === "ready" || holds(mark, state.now)
            ? []
            : [
                {
                  server: server.name,
                  summary: `${server.admin} -> ready (${holder !== undefined ? `the drain by ${holder} expired` : "no drain in progress"})`,
                  commands: [runtimeCommand(`set server ${on(server.name)} state ready`)],
                },
              ];
        return [...admin, ...fieldRepairs(server, config)];
      }),
      ...configured
        .filter((server) => !running.has(server.name))
        .map((server) => ({
          server: server.name,
          summary: "absent at runtime (deleted) -> reload",
          commands: ["systemctl reload haproxy"],
        })),
    ];
  };
  const expired = (state: BackendState) =>
    [...state.marks].filter(([, mark]) => !holds(mark, state.now)).map(([server]) => server);
  return {
    id: `haproxy-servers:${BACKEND}`,
    ...commonFields(),
    probe: () =>
      shellProbe(
        [
          `${runtimeCommand(`show servers state ${BACKEND}; show stat -1 4 -1`)} 2>/dev/null`,
          SHOW_DRAIN_MARKS,
          'echo "now $(date +%s)"',
        ].join("\n"),
      ),
    parse: (stdout) => ({
      servers: parseBackend(stdout),
      marks: parseDrainMarks(stdout),
      now: Number(/^now (\d+)$/m.exec(stdout)?.[1] ?? 0),
    }),
    plan: (state): Change[] => repairs(state).map((repair) => ({ summary: `${repair.server}: ${repair.summary}` })),
    apply: (state) =>
      [
        ...new Set(repairs(state).flatMap((repair) => repair.commands)),
        ...(expired(state).length > 0 ? [removeMarks(expired(state))] : []),
      ].join("\n"),
  };
}
