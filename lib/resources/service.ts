// Resource: a systemd service started/stopped and enabled/disabled; restart/reload actions for handlers.
import { isMasked, isRunning, parseUnit, unitProbe, type UnitState } from "../facts/systemd.ts";
import { sh } from "../shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface ServiceOptions extends CommonOptions {
  state?: "started" | "stopped";
  enabled?: boolean;
}

/**
 * `systemctl start` joins a start job already in progress; when that one fails (a crash-looping release that was just
 * replaced, waiting out its ExecStartPost), start once more, now with the new files.
 */
function startCommand(name: string, unit: UnitState): string {
  return unit.active === "activating"
    ? sh`systemctl start ${name} || { systemctl reset-failed ${name}; systemctl start ${name}; }`
    : sh`systemctl start ${name}`;
}

export function service(name: string, options: ServiceOptions = {}): Resource<UnitState> {
  const id = `service:${name}`;
  return {
    id,
    ...commonFields(options),
    ...(options.state === "started" ? { keepsStarted: name } : {}),
    // A start job already under way ("activating") may have read the files before this run wrote them.
    startsFresh: (unit) => options.state === "started" && !isRunning(unit) && unit.active !== "activating",
    probe: () => unitProbe(name),
    parse: (stdout) => parseUnit(id, stdout),
    plan(unit): Change[] {
      const changes: Change[] = [];
      if (options.enabled === true && unit.unitFile !== "enabled")
        changes.push({ summary: `enable (was ${unit.unitFile || "not-found"})` });
      if (options.enabled === false && unit.unitFile === "enabled") changes.push({ summary: "disable" });
      if (options.state === "started" && !isRunning(unit)) changes.push({ summary: `start (was ${unit.active})` });
      if (options.state === "stopped" && unit.active !== "inactive" && unit.active !== "failed")
        changes.push({ summary: `stop (was ${unit.active})` });
      return changes;
    },
    apply(unit): string {
      const commands: string[] = [];
      const wantsUp = options.enabled === true || options.state === "started";
      if (wantsUp && isMasked(unit)) commands.push(sh`systemctl unmask ${name}`);
      if (options.enabled === true && unit.unitFile !== "enabled") commands.push(sh`systemctl enable ${name}`);
      if (options.enabled === false && unit.unitFile === "enabled") commands.push(sh`systemctl disable ${name}`);
      // A unit that failed its way into systemd's start limit (e.g. started by its package before it was configured)
      // refuses `start` until the failure is cleared.
      if (options.state === "started" && !isRunning(unit))
        commands.push(
          ...(unit.active === "failed" ? [sh`systemctl reset-failed ${name}`] : []),
          startCommand(name, unit),
        );
      if (options.state === "stopped") commands.push(sh`systemctl stop ${name}`);
      return commands.join("\n");
    },
  };
}

/**
 * A one-shot action for handlers: "restarted" always restarts; "reloaded" reloads a running
 * service and starts a stopped one (systemctl reload-or-restart).
 */
export function serviceAction(
  name: string,
  action: "restarted" | "reloaded",
  options: CommonOptions = {},
): Resource<UnitState> {
  const id = `service:${name}:${action}`;
  return {
    id,
    ...commonFields(options),
    refreshes: name,
    probe: () => unitProbe(name),
    parse: (stdout) => parseUnit(id, stdout),
    plan: (unit) => [{ summary: action === "restarted" || !isRunning(unit) ? "restart" : "reload" }],
    // Handlers run without a probe: clearing a failure that is not there is harmless.
    apply: () =>
      [
        sh`systemctl reset-failed ${name} 2>/dev/null || true`,
        action === "restarted" ? sh`systemctl restart ${name}` : sh`systemctl reload-or-restart ${name}`,
      ].join("\n"),
  };
}
