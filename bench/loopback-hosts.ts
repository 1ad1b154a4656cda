// Many light SSH hosts for the scale benchmark: sshd instances on 127.0.x.y (port 2222), one user with /bin/sh and no
// rc files (root's shell setup here costs ~150 ms per command), keys and known_hosts of their own. Every sshd started
// is stopped by its PID: by stop(), when starting fails half-way, and when the process is interrupted.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { capture, run } from "../lab/run-command.ts";
import {
  DATA_DIR,
  LOOPBACK_DIR as DIR,
  LOOPBACK_HOME as HOME,
  LOOPBACK_PORT as PORT,
  LOOPBACK_USER as USER,
  loopbackAddress as address,
  loopbackInventory,
  loopbackNames,
} from "./loopback-inventory.ts";

/** openssh-server's daemon (lab/requirements.ts lists it for the benchmark). */
const SSHD = "/usr/sbin/sshd";
/** sshd listens on at most 16 sockets per process. */
const ADDRESSES_PER_SSHD = 15;

export interface LoopbackHosts {
  inventory: ReturnType<typeof loopbackInventory>;
  names: string[];
  stop(): Promise<void>;
}

async function ensureKey(file: string): Promise<void> {
  if (!existsSync(file)) await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "foobar-bench", "-f", file]);
}

async function ensureUser(clientPublicKey: string): Promise<void> {
  if ((await capture("id", [USER])).code !== 0)
    await run("useradd", ["--system", "--shell", "/bin/sh", "--home-dir", HOME, "--create-home", USER]);
  await run("usermod", ["--password", "*", USER]); // no password, but not "locked" ("!"): sshd refuses locked accounts
  mkdirSync(join(HOME, ".ssh"), { recursive: true, mode: 0o700 });
  writeFileSync(join(HOME, ".ssh", "authorized_keys"), clientPublicKey, { mode: 0o600 });
  mkdirSync(DATA_DIR, { recursive: true });
  await run("chown", ["-R", `${USER}:${USER}`, HOME]);
}

function sshdConfig(hostKey: string, addresses: string[]): string {
  return [
    `Port ${PORT}`,
    ...addresses.map((listen) => `ListenAddress ${listen}`),
    `HostKey ${hostKey}`,
    "PidFile none",
    `AuthorizedKeysFile ${HOME}/.ssh/authorized_keys`,
    `AllowUsers ${USER}`,
    "PermitRootLogin no",
    "PasswordAuthentication no",
    "KbdInteractiveAuthentication no",
    "UsePAM no",
    "UseDNS no",
    "PrintMotd no",
    "MaxStartups 1000",
    // 1,000 logins at once on 2 CPUs outlast sshd's default 120 s to authenticate (it then hangs up: EPIPE); the
    // client's own timeout governs.
    "LoginGraceTime 600",
    "MaxSessions 100",
    "LogLevel ERROR",
    "",
  ].join("\n");
}

async function waitListening(addresses: string[]): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const listening = (await capture("ss", ["-ltnH", `sport = :${PORT}`])).stdout;
    if (addresses.every((listen) => listening.includes(`${listen}:${PORT}`))) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`bench sshd did not listen on ${addresses.length} loopback addresses`);
}

/** Rejects when the sshd cannot be started or exits before it listens (its stderr in the message). */
function failedStart(daemon: ChildProcess, config: string): Promise<never> {
  let stderr = "";
  daemon.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((_, reject) => {
    daemon.once("error", (error) => reject(new Error(`bench sshd (${config}) did not start: ${error.message}`)));
    daemon.once("close", (code, signal) =>
      reject(
        new Error(`bench sshd (${config}) exited (${signal ?? `code ${code}`}) before listening: ${stderr.trim()}`),
      ),
    );
  });
}

/** End the sshds started here (by their PIDs) and wait for them; remove the hosts' data. */
async function stopDaemons(daemons: ChildProcess[]): Promise<void> {
  const running = daemons.filter((daemon) => daemon.exitCode === null && daemon.signalCode === null);
  const exited = running.map((daemon) => new Promise((resolve) => daemon.once("exit", resolve)));
  for (const daemon of running) daemon.kill("SIGTERM");
  await Promise.all(exited);
  rmSync(DATA_DIR, { recursive: true, force: true });
}

/** On SIGINT, SIGTERM or SIGHUP: no more starts, stop the daemons, then end as that signal would have. Returns the undo. */
function stopOnSignals(daemons: ChildProcess[], starting: AbortController): () => void {
  const signals = ["SIGINT", "SIGTERM", "SIGHUP"] as const;
  const handler = (signal: NodeJS.Signals) => {
    undo();
    starting.abort(new Error(`interrupted by ${signal}`));
    void stopDaemons(daemons).finally(() => process.kill(process.pid, signal));
  };
  const undo = () => signals.forEach((signal) => process.off(signal, handler));
  signals.forEach((signal) => process.once(signal, handler));
  return undo;
}

/** Start `count` loopback hosts; `stop()` ends the sshd processes started here (by PID) and removes their data. */
export async function startLoopbackHosts(count: number): Promise<LoopbackHosts> {
  const daemons: ChildProcess[] = [];
  const starting = new AbortController();
  const undoSignals = stopOnSignals(daemons, starting);
  try {
    await startDaemons(count, daemons, starting.signal);
  } catch (error) {
    undoSignals();
    await stopDaemons(daemons);
    throw error;
  }
  return {
    inventory: loopbackInventory(count),
    names: loopbackNames(count),
    stop: async () => {
      undoSignals();
      await stopDaemons(daemons);
    },
  };
}

/** Keys, the user, known_hosts, then one sshd per ADDRESSES_PER_SSHD hosts, each pushed to `daemons` as it starts. */
async function startDaemons(count: number, daemons: ChildProcess[], interrupted: AbortSignal): Promise<void> {
  mkdirSync(DIR, { recursive: true, mode: 0o700 });
  const clientKey = join(DIR, "id_ed25519");
  const hostKey = join(DIR, "ssh_host_ed25519_key");
  await ensureKey(clientKey);
  await ensureKey(hostKey);
  await ensureUser(readFileSync(`${clientKey}.pub`, "utf8"));
  mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const names = loopbackNames(count);
  const hostPublic = readFileSync(`${hostKey}.pub`, "utf8").trim().split(" ").slice(0, 2).join(" ");
  writeFileSync(
    join(DIR, "known_hosts"),
    names.map((_, index) => `[${address(index)}]:${PORT} ${hostPublic}`).join("\n") + "\n",
  );
  for (let first = 0; first < count; first += ADDRESSES_PER_SSHD) {
    const addresses = names.slice(first, first + ADDRESSES_PER_SSHD).map((_, offset) => address(first + offset));
    const config = join(DIR, `sshd-${first}.conf`);
    writeFileSync(config, sshdConfig(hostKey, addresses));
    interrupted.throwIfAborted();
    // sshd re-executes itself, so it must be started by its absolute path.
    const daemon = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
    daemons.push(daemon);
    const failed = failedStart(daemon, config);
    failed.catch(() => undefined); // once listening, its later exit (stop) is no failure
    await Promise.race([waitListening(addresses), failed]);
  }
}
