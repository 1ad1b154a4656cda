// Resource: HAProxy's frontends and process-wide limits as it runs them — none left disabled through the runtime API
// (`disable frontend` stops a listener until a reload), each frontend's maxconn and the global maxconn and rate limits
// as haproxy.cfg sets them (`set maxconn …` and `set rate-limit …` change them live, until a restart).
import { shellProbe } from "../../lib/facts/probe.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { ConfiguredFrontends, ConfiguredGlobal } from "./configured.ts";
import { runtimeCommand, statRows } from "./runtime.ts";

export interface RunningFrontend {
  /** "OPEN", "STOP", "PAUSED" (HAProxy 2.6 reports a disabled frontend as PAUSED). */
  status: string;
  maxconn: number;
}

/** Name → state of each frontend HAProxy runs, and its `show info` fields; empty when it does not answer. */
export interface Frontends {
  frontends: Map<string, RunningFrontend>;
  info: Map<string, number>;
}

/** `show stat` of frontends only (type 1): one CSV row each, status and slim (its maxconn) in the columns of those names. */
export function parseFrontends(csv: string): Map<string, RunningFrontend> {
  return new Map(
    statRows(csv, ["pxname", "svname", "status", "slim"])
      .filter((row) => row.svname === "FRONTEND")
      .map((row) => [row.pxname, { status: row.status, maxconn: Number(row.slim || 0) }]),
  );
}

/** `show info`: "Name: value" lines, the numeric ones. */
export function parseInfo(stdout: string): Map<string, number> {
  const info = new Map<string, number>();
  for (const line of stdout.split("\n")) {
    const found = /^(\w+): (\d+)$/.exec(line);
    if (found) info.set(found[1]!, Number(found[2]));
  }
  return info;
}

/** `set …` of each `show info` field the converge compares. */
const GLOBAL_SETTERS: Record<keyof ConfiguredGlobal, string> = {
  Maxconn: "set maxconn global",
  ConnRateLimit: "set rate-limit connections global",
  SessRateLimit: "set rate-limit sessions global",
  SslRateLimit: "set rate-limit ssl-sessions global",
};

interface Repair {
  summary: string;
  command: string;
}

function repairs(state: Frontends, configured: ConfiguredFrontends): Repair[] {
  const found: Repair[] = [];
  for (const [name, frontend] of state.frontends) {
    // `shutdown frontend` (STOP) releases the listener for good: only a reload opens it again.
    if (frontend.status === "STOP")
      found.push({
        summary: `${name}: STOP -> OPEN (shut down at runtime: reload)`,
        command: "systemctl reload haproxy",
      });
    else if (frontend.status !== "OPEN")
      found.push({
        summary: `${name}: ${frontend.status} -> OPEN (disabled at runtime)`,
        command: runtimeCommand(`enable frontend ${name}`),
      });
    const maxconn = configured.maxconn.get(name);
    if (maxconn !== undefined && frontend.maxconn !== maxconn)
      found.push({
        summary: `${name}: maxconn ${frontend.maxconn} -> ${maxconn}`,
        command: runtimeCommand(`set maxconn frontend ${name} ${maxconn}`),
      });
  }
  if (state.info.size > 0)
    for (const [field, value] of Object.entries(configured.global) as [keyof ConfiguredGlobal, number][]) {
      const running = state.info.get(field);
      if (running !== undefined && running !== value)
        found.push({
          summary: `global ${field}: ${running} -> ${value}`,
          command: runtimeCommand(`${GLOBAL_SETTERS[field]} ${value}`),
        });
    }
  return found;
}

export function frontendsOpen(configured: ConfiguredFrontends): Resource<Frontends> {
  return {
    id: "haproxy-frontends",
    ...commonFields(),
    probe: () => shellProbe(`${runtimeCommand("show stat -1 1 -1; show info")} 2>/dev/null; true`),
    parse: (stdout) => ({ frontends: parseFrontends(stdout), info: parseInfo(stdout) }),
    plan: (state): Change[] => repairs(state, configured).map((repair) => ({ summary: repair.summary })),
    apply: (state) => [...new Set(repairs(state, configured).map((repair) => repair.command))].join("\n"),
  };
}
