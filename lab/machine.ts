// One lab host's life: overlay on the base image, boot with systemd-nspawn in its netns and cgroups, readiness, stop.
import { spawn } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { becomeExec } from "../lib/connection/become.ts";
import { Secret } from "../lib/secret.ts";
import { ADMIN_UID, ADMIN_USER, BECOME_SECRET, SUDO_ASKS_ON } from "./environment/admin-user.ts";
import { labBecomePassword, makeSudoAsk } from "./sudo-password.ts";
import { cgroupMembers, createCgroups, removeCgroups } from "./cgroups.ts";
import { daemonPid, isAlive, waitForExit } from "./daemons.ts";
import { clientPublicKey, hostKeyFile } from "./keys.ts";
import { plugHost, unplugHost } from "./network.ts";
import { hostDirs, paths } from "./paths.ts";
import { capture, run, tryRun } from "./run-command.ts";
import { APT_PROXY_PORT, GATEWAY, SITE_NAMES, labHosts, siteAddress, type LabHost } from "./topology.ts";
import { tool } from "./requirements.ts";

const daemonName = (host: LabHost) => `host-${host.name}`;

/** PID of the host's running nspawn (or of its launcher, for the instant before it execs nspawn), if any. */
export function machinePid(host: LabHost): number | undefined {
  const pid = daemonPid(daemonName(host), ` -M ${host.name} `) ?? daemonPid(daemonName(host), `'-M' '${host.name}'`);
  return pid !== undefined && isAlive(pid) ? pid : undefined;
}

async function isMounted(dir: string): Promise<boolean> {
  return readFileSync("/proc/mounts", "utf8")
    .split("\n")
    .some((line) => line.split(" ")[1] === dir);
}

/** Files that depend on the lab's subnet: names of every host and of the site (its VIP), the apt proxy, a resolver that answers nothing. */
function networkFiles(): Record<string, string> {
  const hosts = labHosts();
  return {
    "etc/hosts": [
      "127.0.0.1\tlocalhost",
      "::1\tlocalhost ip6-localhost ip6-loopback",
      ...hosts.map((entry) => `${entry.address}\t${entry.name}`),
      `${siteAddress()}\t${SITE_NAMES.join(" ")}`,
      "",
    ].join("\n"),
    "etc/resolv.conf": `# lab: no DNS; names come from /etc/hosts\nnameserver ${GATEWAY.address}\noptions timeout:1 attempts:1\n`,
    "etc/apt/apt.conf.d/01lab-proxy": `Acquire::http::Proxy "http://${GATEWAY.address}:${APT_PROXY_PORT}";\nAcquire::https::Proxy "false";\n`,
  };
}

/** Mount a fresh or existing overlay for the host and write its identity (hostname, machine-id, host key, the admin user's authorized key). */
async function mountOverlay(host: LabHost, baseDir: string): Promise<string> {
  const dirs = hostDirs(host.name);
  for (const dir of [dirs.upper, dirs.work, dirs.merged]) mkdirSync(dir, { recursive: true });
  if (!(await isMounted(dirs.merged))) {
    await run("mount", [
      "-t",
      "overlay",
      "overlay",
      "-o",
      `lowerdir=${baseDir},upperdir=${dirs.upper},workdir=${dirs.work}`,
      dirs.merged,
    ]);
  }
  const root = dirs.merged;
  writeFileSync(join(root, "etc/hostname"), `${host.name}\n`);
  for (const [path, content] of Object.entries(networkFiles())) writeFileSync(join(root, path), content);
  if (readFileSync(join(root, "etc/machine-id"), "utf8").trim() === "")
    writeFileSync(join(root, "etc/machine-id"), `${randomBytes(16).toString("hex")}\n`);
  const key = hostKeyFile(host);
  copyFileSync(key, join(root, "etc/ssh/ssh_host_ed25519_key"));
  chmodSync(join(root, "etc/ssh/ssh_host_ed25519_key"), 0o600);
  copyFileSync(`${key}.pub`, join(root, "etc/ssh/ssh_host_ed25519_key.pub"));
  const sshDir = join(root, "home", ADMIN_USER, ".ssh");
  mkdirSync(sshDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(sshDir, "authorized_keys"), clientPublicKey(), { mode: 0o600 });
  for (const path of [sshDir, join(sshDir, "authorized_keys")]) chownSync(path, ADMIN_UID, ADMIN_UID);
  if (host.name === SUDO_ASKS_ON) await makeSudoAsk(root);
  return root;
}

const consoleLog = (host: LabHost) => join(paths.logs, `${host.name}.log`);

/**
 * Boot the host detached: the launcher shell joins the host's own cgroups, then execs nspawn. The console goes to the
 * host's log (a retry appends, so the failed attempt's console stays readable); while this process lives, nspawn's
 * exit status is appended too (an nspawn killed by a signal prints nothing itself).
 */
/**
 * systemd 258 and later refuses to run under a legacy or hybrid cgroup hierarchy (this machine kind's): nspawn then
 * gives the container the unified (v2) hierarchy alone. Read from the image's systemd, so older releases boot as before.
 */
export function needsUnifiedCgroups(root: string): boolean {
  const lib = join(root, "usr/lib");
  // libsystemd-shared-NNN.so lives in usr/lib/systemd or, on Debian, usr/lib/<architecture triplet>/systemd.
  const dirs = [join(lib, "systemd"), ...readdirSync(lib).map((name) => join(lib, name, "systemd"))];
  return dirs
    .filter((dir) => existsSync(dir) && statSync(dir).isDirectory())
    .flatMap((dir) => readdirSync(dir))
    .some((name) => Number(/^libsystemd-shared-(\d+)\.so$/.exec(name)?.[1] ?? 0) >= 258);
}

function boot(host: LabHost, root: string, attempt: number): number {
  const cgroups = createCgroups(host.name);
  mkdirSync(paths.logs, { recursive: true });
  mkdirSync(paths.pids, { recursive: true });
  const log = openSync(consoleLog(host), attempt === 1 ? "w" : "a");
  if (attempt > 1) appendFileSync(log, `\nlab: boot attempt ${attempt}\n`);
  const nspawn = [
    tool("systemd-nspawn"),
    "-b",
    "-q",
    "-D",
    root,
    "-M",
    host.name,
    "--register=no",
    "--keep-unit",
    `--network-namespace-path=/run/netns/${host.netns}`,
    "--resolv-conf=off",
    "--console=read-only",
    "--capability=CAP_NET_ADMIN,CAP_NET_RAW",
    "--timezone=off",
    "--link-journal=no",
  ];
  const launcher = `for dir in "$@"; do echo $$ > "$dir/cgroup.procs"; done; exec ${nspawn.map((word) => `'${word}'`).join(" ")}`;
  const child = spawn("/bin/sh", ["-c", launcher, "launcher", ...cgroups], {
    detached: true,
    stdio: ["ignore", log, log],
    env: needsUnifiedCgroups(root) ? { ...process.env, SYSTEMD_NSPAWN_UNIFIED_HIERARCHY: "1" } : process.env,
  });
  if (child.pid === undefined) throw new Error(`lab: could not start ${host.name}`);
  child.once("exit", (code, signal) =>
    appendFileSync(consoleLog(host), `lab: systemd-nspawn for ${host.name} exited with ${signal ?? `code ${code}`}\n`),
  );
  child.unref();
  writeFileSync(join(paths.pids, `${daemonName(host)}.pid`), String(child.pid));
  return child.pid;
}

function tcpOpen(address: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: address, port, timeout: 500 });
    const done = (open: boolean) => {
      socket.destroy();
      resolve(open);
    };
    socket
      .once("connect", () => done(true))
      .once("error", () => done(false))
      .once("timeout", () => done(false));
  });
}

/**
 * Wait for sshd to accept our key with the host's pinned key (strict), up to `ms`, while the container's process
 * `pid` lives. Liveness, not machinePid(): while the launcher execs nspawn its command line reads empty for a moment,
 * which once made a booting host look dead (and its retry then stopped it).
 */
export async function waitForSsh(host: LabHost, pid: number, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) {
      await new Promise((resolve) => setTimeout(resolve, 200)); // nspawn's exit status reaches the log
      throw new BootExitError(host, logTail(host));
    }
    if (await tcpOpen(host.address, 22)) {
      const probe = await sshTrue(host);
      if (probe.ok) return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `lab: ${host.name} (${host.address}) not reachable over SSH after ${ms / 1000}s; see ${consoleLog(host)}`,
  );
}

/** One `ssh debian@host true` (the admin user) with the lab key and strict known_hosts. */
export async function sshTrue(host: LabHost): Promise<{ ok: boolean; output: string }> {
  const result = await capture("ssh", [
    ...sshOptions(),
    "-o",
    "ConnectTimeout=2",
    `${ADMIN_USER}@${host.address}`,
    "true",
  ]);
  return { ok: result.code === 0, output: result.stderr };
}

/**
 * ssh arguments and stdin that run `command` as root on the host: a login as the admin user, then sudo (root has no
 * key) — the runner's own way (lib/connection/become.ts), with the lab's become_password where sudo asks for one.
 */
export function rootCommand(host: LabHost, command: string): { args: string[]; input: string } {
  const becomePassword = host.name === SUDO_ASKS_ON ? new Secret(BECOME_SECRET, labBecomePassword()) : undefined;
  const login = becomeExec({
    name: host.name,
    become: true,
    ssh: { user: ADMIN_USER, port: 22, connectTimeoutMs: 10_000, becomePassword },
  });
  return {
    args: [...sshOptions(), `${ADMIN_USER}@${host.address}`, login.command],
    input: `${login.stdinPrefix}${command}\n`,
  };
}

/** OpenSSH client options for the lab: its key, its known_hosts, strict checking, no agent or config surprises. */
export function sshOptions(): string[] {
  return [
    "-F",
    "/dev/null",
    "-i",
    paths.clientKey,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${paths.knownHosts}`,
    ...STRICT_QUIET_BATCH,
  ];
}

/** Known host keys only, no prompt, no chatter: how the lab and its tests run OpenSSH. */
export const STRICT_QUIET_BATCH = ["-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR"];

/** The container's nspawn exited before SSH answered; carries the end of its console log. */
class BootExitError extends Error {
  constructor(host: LabHost, tail: string) {
    super(`lab: ${host.name} stopped while booting; the end of its console (${consoleLog(host)}):\n${tail}`);
  }
}

function logTail(host: LabHost): string {
  try {
    return readFileSync(consoleLog(host), "utf8").trim().split("\n").slice(-8).join("\n") || "(nothing)";
  } catch {
    return "(no log)";
  }
}

/** Boot attempts per start: one more when nspawn exits while booting (its console and exit status say why). */
const BOOT_ATTEMPTS = 2;

/**
 * Start the host (network, overlay, boot) unless it runs already; resolves when SSH is ready. A container that
 * exits while booting is cleaned up (its processes gone, so its overlay is free) and booted again.
 */
export async function startMachine(host: LabHost, baseDir: string): Promise<void> {
  const running = machinePid(host);
  if (running !== undefined) return waitForSsh(host, running);
  recordStarted(host);
  for (let attempt = 1; ; attempt++) {
    await plugHost(host);
    const root = await mountOverlay(host, baseDir);
    const pid = boot(host, root, attempt);
    try {
      return await waitForSsh(host, pid);
    } catch (error) {
      if (!(error instanceof BootExitError) || attempt >= BOOT_ATTEMPTS) throw error;
      console.error(`${(error as Error).message}\nlab: booting ${host.name} again`);
      await stopMachine(host, { discard: false });
    }
  }
}

/**
 * Orderly poweroff (SIGTERM to nspawn). A container still booting may miss that request: a second SIGTERM makes
 * nspawn terminate it at once, SIGKILL is the last resort. Then whatever is left in the host's own cgroups (a payload
 * orphaned by a killed nspawn) is killed, and the overlay, netns and cgroups are removed.
 */
export async function stopMachine(host: LabHost, options: { discard: boolean }): Promise<void> {
  const pid = machinePid(host);
  if (pid !== undefined) {
    process.kill(pid, "SIGTERM");
    if (!(await waitForExit(pid, 8_000))) {
      process.kill(pid, "SIGTERM");
      if (!(await waitForExit(pid, 5_000))) {
        process.kill(pid, "SIGKILL");
        await waitForExit(pid, 5_000);
      }
    }
  }
  const leftovers = cgroupMembers(host.name);
  for (const member of leftovers) process.kill(member, "SIGKILL");
  for (const member of leftovers) await waitForExit(member, 5_000);
  rmSync(join(paths.pids, `${daemonName(host)}.pid`), { force: true });
  const dirs = hostDirs(host.name);
  if (await isMounted(dirs.merged)) {
    if (!(await tryRun("umount", [dirs.merged]))) await run("umount", ["-l", dirs.merged]);
  }
  await unplugHost(host);
  removeCgroups(host.name);
  if (options.discard) rmSync(dirs.root, { recursive: true, force: true });
}

/** The record of a host the lab started, kept in its state directory until `down` discards it: what `down` stops. */
const recordFile = (name: string) => join(hostDirs(name).root, "host.json");

function recordStarted(host: LabHost): void {
  mkdirSync(hostDirs(host.name).root, { recursive: true });
  writeFileSync(recordFile(host.name), `${JSON.stringify(host)}\n`);
}

/** Every host the lab has started and not discarded, whatever hosts.ts says today. */
export function startedHosts(): LabHost[] {
  if (!existsSync(paths.hostsState)) return [];
  return readdirSync(paths.hostsState)
    .filter((name) => existsSync(recordFile(name)))
    .map((name) => JSON.parse(readFileSync(recordFile(name), "utf8")) as LabHost);
}

/** True when the host's upper layer exists (it has been booted and not discarded). */
export function hasOverlay(host: LabHost): boolean {
  return existsSync(hostDirs(host.name).upper);
}
