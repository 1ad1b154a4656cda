// SSH transport over OpenSSH's client with a persistent master (ControlPersist): later runs reuse the login, as Ansible does.
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Host } from "../inventory/types.ts";
import type { SshOptions } from "./ssh.ts";
import { feedStdin, UnreachableError, type ExecOptions, type ExecResult, type Transport } from "./transport.ts";

export interface PersistOptions extends SshOptions {
  /** Seconds an idle master connection stays open after the last run used it. */
  persistSeconds: number;
  /** Private directory (mode 0700) holding the control sockets. */
  controlDir: string;
}

/** The control socket directory must be the user's alone: whoever can open a socket there runs commands on the host as the login user. */
export function prepareControlDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const stat = statSync(dir);
  if (process.getuid && stat.uid !== process.getuid())
    throw new Error(`control directory ${dir} belongs to uid ${stat.uid}, not to this user`);
}

/** ssh options shared by the master and every command: no user or system config (-F none), no forwarding of the agent,
 * X11 or ports, no local command; strict host keys from our files, our key, no prompts, one socket per host. */
function sshArgs(host: Host, options: PersistOptions): string[] {
  const args = [
    "-F",
    "none",
    "-o",
    "ForwardAgent=no",
    "-o",
    "ForwardX11=no",
    "-o",
    "ClearAllForwardings=yes",
    "-o",
    "PermitLocalCommand=no",
    "-o",
    "BatchMode=yes",
    "-o",
    `ControlPath=${join(options.controlDir, "%C")}`,
    // The pin file first: OpenSSH writes newly accepted keys to the first file, as --accept-new-host-keys does with ssh2.
    "-o",
    `UserKnownHostsFile=${[...new Set([options.pinFile, ...options.knownHostsFiles])].map((file) => `"${file}"`).join(" ")}`,
    "-o",
    "GlobalKnownHostsFile=/dev/null",
    "-o",
    `StrictHostKeyChecking=${options.acceptNewHostKeys ? "accept-new" : "yes"}`,
    "-o",
    `ConnectTimeout=${Math.max(1, Math.ceil(host.ssh.connectTimeoutMs / 1000))}`,
    "-o",
    "ServerAliveInterval=15",
    "-o",
    "ServerAliveCountMax=3",
    "-p",
    String(host.ssh.port),
    "-l",
    host.ssh.user,
  ];
  if (host.ssh.key)
    args.push("-i", resolve(options.repoRoot ?? process.cwd(), host.ssh.key), "-o", "IdentitiesOnly=yes");
  return args;
}

/** One clear line from OpenSSH's complaint about a failed login. */
function loginError(host: Host, log: string): UnreachableError {
  const where = `${host.address}:${host.ssh.port}`;
  const said = log.trim().split("\n").filter(Boolean).at(-1) ?? "no message";
  if (
    /REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|No .* host key is known|REVOKED/i.test(log)
  ) {
    return new UnreachableError(
      host.name,
      `host key of ${where} refused by OpenSSH (${said}); check known_hosts, or run once with --accept-new-host-keys for a new host`,
      "hostkey",
    );
  }
  if (/Connection refused/.test(log))
    return new UnreachableError(host.name, `connection refused by ${where}`, "refused");
  if (/timed out|No route to host|Network is unreachable/.test(log))
    return new UnreachableError(host.name, `no answer from ${where} (${said})`, "timeout");
  if (/Permission denied/.test(log))
    return new UnreachableError(host.name, `authentication as ${host.ssh.user} on ${where} failed (${said})`, "auth");
  return new UnreachableError(host.name, `ssh to ${where} failed: ${said}`, "other");
}

/** Lines OpenSSH itself prints when it could not connect or log in (exit 255), as opposed to a remote command's own 255. */
const OPENSSH_FAILURE =
  /^(ssh: |mux_client|Control socket|kex_exchange_identification|Host key verification failed|@@@|Connection (closed|reset) by)|: Permission denied \(/m;

/**
 * The remote command of a client started before its command is known: it reads that command as its first line and
 * becomes it, the rest of stdin (the script) left unread for it (sh's `read` takes one byte at a time from a pipe).
 */
const READ_COMMAND = 'IFS= read -r command && eval "exec $command"';

/** An `ssh` client started now and given its input later: `feed` writes it (feedStdin), the timeout starting as it ends. */
interface StartedSsh {
  feed(input: Pick<ExecOptions, "stdin" | "moreStdin">, timeoutMs?: number): Promise<ExecResult>;
  discard(): void;
}

/** The environment ssh (and the master it may become, which outlives the run) gets: what it needs to find itself, its
 * home and the agent, and nothing else (no FOOBAR_AGE_IDENTITY, no FOOBAR_SECRET_*). */
function sshEnvironment(from: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const kept = ["PATH", "HOME", "USER", "LOGNAME", "LANG", "SSH_AUTH_SOCK"];
  return Object.fromEntries(kept.filter((name) => from[name] !== undefined).map((name) => [name, from[name]]));
}

function startSsh(args: string[]): StartedSsh {
  const child = spawn("ssh", args, { stdio: ["pipe", "pipe", "pipe"], env: sshEnvironment() });
  let stdout = "";
  let stderr = "";
  let timer: NodeJS.Timeout | undefined;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.on("error", () => {});
  let closed = false;
  const done = new Promise<ExecResult>((resolveResult, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      closed = true;
      clearTimeout(timer);
      resolveResult({ stdout, stderr, code: signal ? null : code });
    });
  });
  return {
    feed(input, timeoutMs) {
      const startTimer = () => {
        if (timeoutMs !== undefined) timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
      };
      feedStdin(child.stdin, input, startTimer, () => closed);
      return done;
    },
    discard() {
      done.catch(() => {});
      child.kill("SIGKILL");
    },
  };
}

/**
 * Each exec is a short-lived `ssh` over the host's master socket; the first one logs in and becomes the master, which
 * OpenSSH detaches (stdio to /dev/null) and keeps for `persistSeconds` after its last session. A failed login surfaces
 * as UnreachableError from that first exec. One client is started at connect, before its command is known, so its
 * start and session set-up overlap the runner's planning; it runs the first exec.
 */
export async function connectOpenSsh(host: Host, options: PersistOptions): Promise<Transport> {
  prepareControlDir(options.controlDir);
  const base = [
    ...sshArgs(host, options),
    "-o",
    "ControlMaster=auto",
    "-o",
    `ControlPersist=${options.persistSeconds}`,
    "-T",
    host.address,
  ];
  let ready: StartedSsh | undefined = startSsh([...base, "--", READ_COMMAND]);
  return {
    host: host.name,
    outlivesRun: true,
    async exec(command: string, execOptions: ExecOptions = {}): Promise<ExecResult> {
      const client = ready;
      ready = undefined;
      const stdin = execOptions.stdin ?? "";
      const timeoutMs = execOptions.timeoutMs ?? options.commandTimeoutMs;
      const moreStdin = execOptions.moreStdin;
      const result = await (client
        ? client.feed({ stdin: `${command}\n${stdin}`, moreStdin }, timeoutMs)
        : startSsh([...base, "--", command]).feed({ stdin, moreStdin }, timeoutMs));
      if (result.code === 255 && OPENSSH_FAILURE.test(result.stderr)) throw loginError(host, result.stderr);
      return result;
    },
    close: async () => {
      ready?.discard();
      ready = undefined;
    },
  };
}
