// Resource: the web backend's servers as HAProxy runs them — not left in maint or drain, weights as configured —
// unless a playbook's drain mark says a drain is in progress (deploy.ts, failover.ts); expired marks are removed.
import { shellProbe } from "../../lib/facts/probe.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import { BACKEND, parseDrainMarks, removeMarks, runtimeCommand, SHOW_DRAIN_MARKS, type DrainMark } from "./runtime.ts";

/** `srv_admin_state` bits set from the runtime API (forced), as opposed to inherited or from the config. */
const FORCED_MAINT = 0x01;
const FORCED_DRAIN = 0x08;

interface RunningServer {
  name: string;
  admin: "maint" | "drain" | "ready";
  weight: number;
  configuredWeight: number;
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
      return {
        name: at(fields, "srv_name"),
        admin: admin & FORCED_MAINT ? "maint" : admin & FORCED_DRAIN ? "drain" : "ready",
        weight: Number(at(fields, "srv_uweight")),
        configuredWeight: Number(at(fields, "srv_iweight")),
      };
    });
}

const drifted = (server: RunningServer) => server.admin !== "ready" || server.weight !== server.configuredWeight;
const holds = (mark: DrainMark | undefined, now: number): mark is DrainMark => mark !== undefined && mark.until > now;

function describe(server: RunningServer): string {
  const parts = [
    server.admin !== "ready" ? `${server.admin} -> ready` : "",
    server.weight !== server.configuredWeight ? `weight ${server.weight} -> ${server.configuredWeight}` : "",
  ];
  return `${server.name}: ${parts.filter(Boolean).join(", ")}`;
}

export function backendServers(): Resource<BackendState> {
  const toRepair = (state: BackendState) =>
    state.servers.filter((server) => drifted(server) && !holds(state.marks.get(server.name), state.now));
  const expired = (state: BackendState) =>
    [...state.marks].filter(([, mark]) => !holds(mark, state.now)).map(([server]) => server);
  return {
    id: `haproxy-servers:${BACKEND}`,
    ...commonFields(),
    probe: () =>
      shellProbe(
        [
          `${runtimeCommand(`show servers state ${BACKEND}`)} 2>/dev/null`,
          SHOW_DRAIN_MARKS,
          'echo "now $(date +%s)"',
        ].join("\n"),
      ),
    parse: (stdout) => ({
      servers: parseServersState(stdout),
      marks: parseDrainMarks(stdout),
      now: Number(/^now (\d+)$/m.exec(stdout)?.[1] ?? 0),
    }),
    plan: (state): Change[] =>
      toRepair(state).map((server) => {
        const mark = state.marks.get(server.name);
        return {
          summary: `${describe(server)} (${mark ? `the drain by ${mark.holder} expired` : "no drain in progress"})`,
        };
      }),
    apply: (state) =>
      [
        ...toRepair(state).flatMap((server) => [
          runtimeCommand(`set server ${BACKEND}/${server.name} state ready`),
          runtimeCommand(`set server ${BACKEND}/${server.name} weight ${server.configuredWeight}`),
        ]),
        ...(expired(state).length > 0 ? [removeMarks(expired(state))] : []),
      ].join("\n"),
  };
}
