// `drift.ts --install-timer`: a systemd timer (and its oneshot service) on the controller that runs the drift check
// every so often as the user who installed it — system units for root, user units for anyone else.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { homedir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { InputError } from "../errors.ts";

/** A systemd time span as the timer takes it: a number and s, m, h or d (15m). */
const SPAN = /^[1-9][0-9]*(s|m|h|d)$/;

export interface DriftTimer {
  environment: string;
  /** How often: a span such as 15m. */
  every: string;
  repoRoot: string;
  /** Where the units go (default: /etc/systemd/system for root, ~/.config/systemd/user otherwise). */
  unitDir?: string;
}

/** The units' base name: one timer per environment. */
export const timerName = (environment: string) => `foobar-drift-${environment}`;

/** The service and timer units' text. Drift (2) and an unreachable host (3) are results the metrics carry, not failures of the unit. */
export function driftUnits(timer: DriftTimer, user: { name: string; system: boolean }) {
  if (!SPAN.test(timer.every))
    throw new InputError([`drift.ts --every: a number and s, m, h or d (such as 15m), not "${timer.every}"`]);
  const service = [
    "[Unit]",
    `Description=foobar-infra drift check of ${timer.environment}, published to the site's Prometheus`,
    "",
    "[Service]",
    "Type=oneshot",
    ...(user.system ? [`User=${user.name}`] : []),
    `WorkingDirectory=${timer.repoRoot}`,
    `Environment=PATH=${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`,
    `ExecStart=${join(timer.repoRoot, "bin", "foobar-infra")} drift -i ${timer.environment}`,
    "SuccessExitStatus=2 3",
    "",
  ].join("\n");
  const timerUnit = [
    "[Unit]",
    `Description=Run ${timerName(timer.environment)}.service every ${timer.every}`,
    "",
    "[Timer]",
    `OnBootSec=${timer.every}`,
    `OnUnitActiveSec=${timer.every}`,
    "Persistent=true",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  return { service, timer: timerUnit };
}

/**
 * Write the units and enable the timer (`systemctl [--user] daemon-reload`, `enable --now`); with `unitDir` given, only
 * write them. Returns the lines to print.
 */
export function installDriftTimer(timer: DriftTimer): string[] {
  const self = userInfo();
  const system = self.uid === 0;
  const dir = timer.unitDir ?? (system ? "/etc/systemd/system" : join(homedir(), ".config", "systemd", "user"));
  const units = driftUnits(timer, { name: self.username, system });
  const name = timerName(timer.environment);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.service`), units.service);
  writeFileSync(join(dir, `${name}.timer`), units.timer);
  const lines = [`wrote ${join(dir, `${name}.service`)} and ${name}.timer (every ${timer.every}, as ${self.username})`];
  if (timer.unitDir)
    return [...lines, `enable it with: systemctl ${system ? "" : "--user "}enable --now ${name}.timer`];
  const systemctl = (...args: string[]) =>
    execFileSync("systemctl", [...(system ? [] : ["--user"]), ...args], { stdio: ["ignore", "pipe", "pipe"] });
  try {
    systemctl("daemon-reload");
    systemctl("enable", "--now", `${name}.timer`);
  } catch (error) {
    const stderr = String((error as { stderr?: Buffer }).stderr ?? (error as Error).message).trim();
    throw new Error(`${lines[0]}, but systemctl could not enable ${name}.timer: ${stderr}`);
  }
  return [
    ...lines,
    `enabled ${name}.timer${system ? "" : " (a user timer runs while you are logged in, unless: loginctl enable-linger)"}`,
  ];
}
