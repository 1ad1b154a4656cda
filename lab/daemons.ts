// Background processes of the lab (apt proxy, Pebble, DNS): started detached with a PID file, stopped by that PID only.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { paths } from "./paths.ts";

const pidFile = (name: string) => join(paths.pids, `${name}.pid`);

/** The command line of a live process, or undefined. */
function commandLine(pid: number): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").join(" ");
  } catch {
    return undefined;
  }
}

/** PID of the lab daemon `name` if it is alive and still the process we started (its command line contains `marker`). */
export function daemonPid(name: string, marker: string): number | undefined {
  if (!existsSync(pidFile(name))) return undefined;
  const pid = Number(readFileSync(pidFile(name), "utf8"));
  return commandLine(pid)?.includes(marker) ? pid : undefined;
}

/** Start `command` detached in its own session, output to logs/<name>.log; returns its PID. */
export function startDaemon(
  name: string,
  command: string,
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): number {
  mkdirSync(paths.pids, { recursive: true });
  mkdirSync(paths.logs, { recursive: true });
  const log = openSync(join(paths.logs, `${name}.log`), "a");
  const child = spawn(command, args, {
    detached: true,
    stdio: ["ignore", log, log],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  if (child.pid === undefined) throw new Error(`lab: could not start ${name} (${command})`);
  child.unref();
  writeFileSync(pidFile(name), String(child.pid));
  return child.pid;
}

/** Wait until a process is gone, up to `ms`; true when it is. */
export async function waitForExit(pid: number, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return !isAlive(pid);
}

/** True while the process exists and is not a zombie. */
export function isAlive(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ").at(-1)?.[0] !== "Z";
  } catch {
    return false;
  }
}

/** SIGTERM the daemon (SIGKILL after `graceMs`) if it is ours, and remove its PID file. */
export async function stopDaemon(name: string, marker: string, graceMs = 5000): Promise<void> {
  const pid = daemonPid(name, marker);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    if (!(await waitForExit(pid, graceMs))) {
      process.kill(pid, "SIGKILL");
      await waitForExit(pid, 2000);
    }
  }
  rmSync(pidFile(name), { force: true });
}
