// What haproxy.cfg sets for the values its runtime API can change: the web backend's servers (address, port, checks,
// maxconn), each frontend's maxconn and the process-wide limits, from the role's vars and its extra_* lines.
import type { HaproxyVars } from "./schema.ts";

/** A server as the config declares it; undefined fields are not compared (the config leaves them to HAProxy). */
export interface ConfiguredServer {
  name: string;
  address?: string;
  port?: number;
  /** `check` on its line: health checks configured, so they must be enabled. */
  check: boolean;
  /** `maxconn` on its line or the backend's default-server line; 0: no limit. */
  maxconn: number;
}

/** `show info` fields the config sets (global section) and `set maxconn global` / `set rate-limit … global` change. */
export interface ConfiguredGlobal {
  Maxconn: number;
  ConnRateLimit: number;
  SessRateLimit: number;
  SslRateLimit: number;
}

export interface ConfiguredFrontends {
  /** Frontend name -> its maxconn (its own, else the defaults section's, else the global one). */
  maxconn: Map<string, number>;
  global: ConfiguredGlobal;
}

/** The number after `keyword` on the last of `lines` that sets it (`maxconn 100`); undefined when none does. */
export function lastSetting(lines: readonly string[], keyword: string): number | undefined {
  let found: number | undefined;
  for (const line of lines) {
    const words = line.trim().split(/\s+/);
    const at = words.indexOf(keyword);
    if (at >= 0 && /^\d+$/.test(words[at + 1] ?? "")) found = Number(words[at + 1]);
  }
  return found;
}

/** The template's servers (one per backend host, `check`), then any `server` lines of extra_backend. */
export function configuredServers(
  vars: Pick<HaproxyVars, "backend_port" | "extra_backend">,
  backends: readonly { name: string; address: string }[],
): ConfiguredServer[] {
  const defaults = vars.extra_backend.filter((line) => line.trim().startsWith("default-server "));
  const maxconn = lastSetting(defaults, "maxconn") ?? 0;
  const templated = backends.map((backend) => ({
    name: backend.name,
    address: backend.address,
    port: vars.backend_port,
    check: true,
    maxconn,
  }));
  const extra = vars.extra_backend
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === "server" && words[1] !== undefined)
    .map((words) => {
      const target = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d+)$/.exec(words[2] ?? "");
      return {
        name: words[1]!,
        ...(target ? { address: target[1]!, port: Number(target[2]) } : {}),
        check: words.includes("check"),
        maxconn: lastSetting([words.join(" ")], "maxconn") ?? maxconn,
      };
    });
  return [...templated, ...extra];
}

/** The frontends of haproxy.cfg.ejs and the global limits. */
export function configuredFrontends(
  vars: Pick<HaproxyVars, "maxconn" | "extra_global" | "extra_defaults" | "extra_frontend">,
): ConfiguredFrontends {
  const globalMaxconn = lastSetting(vars.extra_global, "maxconn") ?? vars.maxconn;
  const fallback = lastSetting(vars.extra_defaults, "maxconn") ?? globalMaxconn;
  return {
    maxconn: new Map([
      ["foobar_http", fallback],
      ["foobar_https", lastSetting(vars.extra_frontend, "maxconn") ?? fallback],
      ["stats", fallback],
    ]),
    global: {
      Maxconn: globalMaxconn,
      ConnRateLimit: lastSetting(vars.extra_global, "maxconnrate") ?? 0,
      SessRateLimit: lastSetting(vars.extra_global, "maxsessrate") ?? 0,
      SslRateLimit: lastSetting(vars.extra_global, "maxsslrate") ?? 0,
    },
  };
}
