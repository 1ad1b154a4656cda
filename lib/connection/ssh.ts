// SSH transport over ssh2: strict host-key checking against known_hosts, key or agent login, execs with timeouts.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { resolve } from "node:path";
import type { Client, ClientChannel, ConnectConfig, ServerHostKeyAlgorithm } from "ssh2";
import type { Host } from "../inventory/types.ts";
import {
  appendKnownHost,
  fingerprint,
  keyTypeOf,
  lookupHostKeys,
  type HostKeyLookup,
  type KnownHostKey,
} from "./known-hosts.ts";
import { feedStdin, UnreachableError, type ExecOptions, type ExecResult, type Transport } from "./transport.ts";

type SshClient = Client;
type Ssh2 = typeof import("ssh2");

/** ssh2 loads on the first connection (~60 ms), so runs that never open one (--persist, --list-hosts, input errors) skip
 * it. It is CommonJS: required, not imported (no ES module wrapper, no dynamic import in bin/foobar-infra's bundle). */
let ssh2Module: Ssh2 | undefined;
const loadSsh2 = () => (ssh2Module ??= createRequire(import.meta.url)("ssh2") as Ssh2);
type SshError = Error & { level?: string; code?: string };

export interface SshOptions {
  /** known_hosts files checked strictly, in order. */
  knownHostsFiles: string[];
  /** Where `acceptNewHostKeys` pins keys of hosts seen for the first time. */
  pinFile: string;
  /** Pin unknown host keys instead of refusing them (never accepts a changed key). */
  acceptNewHostKeys: boolean;
  /** Default timeout for each exec. */
  commandTimeoutMs?: number;
  /** Base for a relative `ssh.key` (default: the working directory). */
  repoRoot?: string;
}

/** ssh2's default host-key algorithms; the ones already known for a host are moved to the front. */
const HOST_KEY_ALGORITHMS: ServerHostKeyAlgorithm[] = [
  "ssh-ed25519",
  "ecdsa-sha2-nistp256",
  "ecdsa-sha2-nistp384",
  "ecdsa-sha2-nistp521",
  "rsa-sha2-512",
  "rsa-sha2-256",
  "ssh-rsa",
];

function algorithmsForKeyType(keyType: string): ServerHostKeyAlgorithm[] {
  if (keyType === "ssh-rsa") return ["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  return HOST_KEY_ALGORITHMS.filter((algorithm) => algorithm === keyType);
}

/** Negotiate a key type we already know, so a host with several keys is not reported as changed. */
function hostKeyAlgorithmOrder(known: KnownHostKey[]): ServerHostKeyAlgorithm[] {
  const preferred = known.flatMap((key) => algorithmsForKeyType(keyTypeOf(key.blob)));
  return [...new Set([...preferred, ...HOST_KEY_ALGORITHMS])];
}

function endpoint(host: Host): string {
  return `${host.address}:${host.ssh.port}`;
}

/** The hostVerifier for one connection attempt; a refusal keeps its detailed reason for the error report. */
function hostKeyCheck(host: Host, options: SshOptions, known: HostKeyLookup) {
  const check = {
    refusal: undefined as UnreachableError | undefined,
    verify(blob: Buffer): boolean {
      const presented = `${keyTypeOf(blob)} key ${fingerprint(blob)}`;
      const refuse = (message: string) => {
        check.refusal = new UnreachableError(host.name, message, "hostkey");
        return false;
      };
      const revoked = known.revoked.find((key) => key.blob.equals(blob));
      if (revoked)
        return refuse(
          `${endpoint(host)} presented the ${presented}, which is @revoked at ${revoked.file}:${revoked.line}; refusing to connect`,
        );
      if (known.keys.some((key) => key.blob.equals(blob))) return true;
      if (known.keys.length > 0) {
        const expected = known.keys.find((key) => key.type === keyTypeOf(blob)) ?? known.keys[0]!;
        return refuse(
          `HOST KEY CHANGED: ${host.address} (port ${host.ssh.port}) presented the ${presented}, which does not match ${expected.file}:${expected.line}; ` +
            `refusing to connect (possible man-in-the-middle; if the host was rebuilt, remove that line)`,
        );
      }
      if (!options.acceptNewHostKeys) {
        return refuse(
          `unknown host key for ${endpoint(host)}: ${presented}; verify it, then re-run with --accept-new-host-keys to pin it in ${options.pinFile}`,
        );
      }
      try {
        appendKnownHost(options.pinFile, host.address, host.ssh.port, keyTypeOf(blob), blob);
      } catch (error) {
        return refuse(
          `cannot pin the ${presented} of ${endpoint(host)} in ${options.pinFile}: ${(error as Error).message}`,
        );
      }
      return true;
    },
  };
  return check;
}

/** Private key from ssh.key, else the agent at SSH_AUTH_SOCK. */
function credentials(ssh2: Ssh2, host: Host, repoRoot: string): Pick<ConnectConfig, "privateKey" | "agent"> {
  if (host.ssh.key) {
    const file = resolve(repoRoot, host.ssh.key);
    let privateKey: Buffer;
    try {
      privateKey = readFileSync(file);
    } catch (error) {
      throw new UnreachableError(
        host.name,
        `cannot read private key ${file} (${(error as NodeJS.ErrnoException).code ?? "unreadable"})`,
        "auth",
      );
    }
    const parsed = ssh2.utils.parseKey(privateKey);
    if (parsed instanceof Error) {
      throw new UnreachableError(
        host.name,
        `cannot use private key ${file}: ${parsed.message} (load passphrase-protected keys into ssh-agent and drop ssh.key)`,
        "auth",
      );
    }
    return { privateKey };
  }
  const agent = process.env.SSH_AUTH_SOCK;
  if (agent) return { agent };
  throw new UnreachableError(
    host.name,
    "no SSH credentials: set ssh.key in hosts.ts or start an ssh-agent (SSH_AUTH_SOCK is not set)",
    "auth",
  );
}

/** One clear line for a failed connection attempt. */
function connectError(host: Host, error: SshError): UnreachableError {
  const where = endpoint(host);
  if (error.code === "ECONNREFUSED")
    return new UnreachableError(host.name, `connection refused by ${where}`, "refused");
  if (error.level === "client-timeout" || error.code === "ETIMEDOUT") {
    return new UnreachableError(host.name, `no answer from ${where} within ${host.ssh.connectTimeoutMs} ms`, "timeout");
  }
  if (error.code === "EHOSTUNREACH" || error.code === "ENETUNREACH")
    return new UnreachableError(host.name, `no route to ${where}`, "timeout");
  if (error.level === "client-authentication") {
    const method = host.ssh.key ? `key ${host.ssh.key}` : "the ssh-agent's keys";
    return new UnreachableError(
      host.name,
      `authentication as ${host.ssh.user} on ${where} failed with ${method}`,
      "auth",
    );
  }
  if (error.level === "agent") return new UnreachableError(host.name, `ssh-agent error: ${error.message}`, "auth");
  if (error.code === "ENOTFOUND" || error.code === "EAI_AGAIN")
    return new UnreachableError(host.name, `cannot resolve ${host.address}`, "other");
  return new UnreachableError(host.name, `ssh to ${where} failed: ${error.message}`, "other");
}

function readKnownHosts(host: Host, options: SshOptions): HostKeyLookup {
  try {
    return lookupHostKeys(options.knownHostsFiles, host.address, host.ssh.port);
  } catch (error) {
    throw new UnreachableError(host.name, `cannot read known_hosts: ${(error as Error).message}`, "hostkey");
  }
}

/** Connect and authenticate; resolves once the session is ready for execs. `signal` abandons a login still under way. */
async function openClient(host: Host, options: SshOptions, signal?: AbortSignal): Promise<SshClient> {
  const ssh2 = loadSsh2();
  const known = readKnownHosts(host, options);
  const check = hostKeyCheck(host, options, known);
  const config: ConnectConfig = {
    host: host.address,
    port: host.ssh.port,
    username: host.ssh.user,
    readyTimeout: host.ssh.connectTimeoutMs,
    keepaliveInterval: 15_000,
    keepaliveCountMax: 3,
    hostVerifier: (blob: Buffer) => check.verify(blob),
    ...credentials(ssh2, host, options.repoRoot ?? process.cwd()),
  };
  if (known.keys.length > 0) config.algorithms = { serverHostKey: hostKeyAlgorithmOrder(known.keys) };
  const client = new ssh2.Client();
  return new Promise((resolveClient, reject) => {
    let failed = false;
    // Stays attached after a failure: ssh2 may report more errors while tearing the socket down.
    const fail = (error: SshError) => {
      if (failed) return;
      failed = true;
      client.removeListener("ready", ready);
      signal?.removeEventListener("abort", abandon);
      reject(check.refusal ?? connectError(host, error));
      client.destroy();
    };
    const abandon = () =>
      fail(Object.assign(new Error("login abandoned: the run did not need it"), { level: "abandoned" }));
    const ready = () => {
      client.removeListener("error", fail);
      signal?.removeEventListener("abort", abandon);
      resolveClient(client);
    };
    if (signal?.aborted) return abandon();
    signal?.addEventListener("abort", abandon, { once: true });
    client.once("ready", ready);
    client.on("error", fail);
    client.once("close", () =>
      reject(
        check.refusal ??
          new UnreachableError(host.name, `${endpoint(host)} closed the connection during login`, "other"),
      ),
    );
    client.connect(config);
    // Without TCP_NODELAY, Nagle holds a small packet (the key exchange's, an exec's stdin EOF) until the previous one is
    // ACKed, and the host delays that ACK by up to 40 ms: measured 40–60 ms per exec and ~25 ms per login here.
    client.setNoDelay(true);
  });
}

function stopChannel(channel: ClientChannel): void {
  try {
    channel.signal("KILL");
    channel.close();
  } catch {
    // Already closed.
  }
}

/** Run one command on an open session channel; `onLost` registers the rejection used if the connection drops. */
function runOnChannel(
  client: SshClient,
  host: Host,
  command: string,
  options: ExecOptions,
  onLost: (reject: (error: UnreachableError) => void) => () => void,
): Promise<ExecResult> {
  return new Promise((resolveResult, reject) => {
    let stdout = "";
    let stderr = "";
    let code: number | null = null;
    let channel: ClientChannel | undefined;
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      forget();
      outcome();
    };
    const forget = onLost((error) => settle(() => reject(error)));
    const startTimer = () => {
      if (options.timeoutMs === undefined || timer) return;
      timer = setTimeout(() => {
        if (channel) stopChannel(channel);
        settle(() => resolveResult({ stdout, stderr, code: null }));
      }, options.timeoutMs);
    };
    // Without more stdin to wait for, the timeout counts from now: a channel that never opens times out too.
    if (!options.moreStdin) startTimer();
    client.exec(command, (error, opened) => {
      if (error)
        return settle(() =>
          reject(
            new UnreachableError(host.name, `cannot start a command on ${endpoint(host)}: ${error.message}`, "other"),
          ),
        );
      if (settled) return stopChannel(opened);
      channel = opened;
      opened.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      opened.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      opened.on("exit", (exitCode: number | null) => (code = exitCode));
      opened.on("close", () => settle(() => resolveResult({ stdout, stderr, code })));
      feedStdin(opened, options, startTimer, () => settled);
    });
  });
}

function sshTransport(client: SshClient, host: Host, commandTimeoutMs: number | undefined): Transport {
  const pending = new Set<(error: UnreachableError) => void>();
  let lost: UnreachableError | undefined;
  let closedOnPurpose = false;
  let socketClosed = false;
  const drop = (error?: SshError) => {
    if (lost) return;
    const reason = error?.level === "client-timeout" ? "timeout" : "other";
    const what = closedOnPurpose ? "closed" : `lost${error ? ` (${error.message})` : ""}`;
    lost = new UnreachableError(host.name, `connection to ${endpoint(host)} ${what}`, reason);
    for (const rejectExec of pending) rejectExec(lost);
    pending.clear();
  };
  client.on("error", drop);
  client.on("close", () => {
    socketClosed = true;
    drop();
  });
  const onLost = (reject: (error: UnreachableError) => void) => {
    pending.add(reject);
    return () => pending.delete(reject);
  };
  return {
    host: host.name,
    exec(command, options = {}) {
      if (lost) return Promise.reject(lost);
      return runOnChannel(
        client,
        host,
        command,
        { ...options, timeoutMs: options.timeoutMs ?? commandTimeoutMs },
        onLost,
      );
    },
    close() {
      closedOnPurpose = true;
      if (socketClosed) return Promise.resolve();
      return new Promise((resolveClosed) => {
        client.once("close", () => resolveClosed());
        client.end();
      });
    },
  };
}

/** Open an SSH connection to `host` with strict host-key checking; throws UnreachableError. */
export async function connectSsh(host: Host, options: SshOptions, signal?: AbortSignal): Promise<Transport> {
  const client = await openClient(host, options, signal);
  return sshTransport(client, host, options.commandTimeoutMs);
}

/** Open a fresh connection and run `true` (e.g. to check a firewall change left SSH reachable). */
export async function probeSsh(
  host: Host,
  options: SshOptions,
): Promise<{ ok: true; ms: number } | { ok: false; error: UnreachableError }> {
  const started = performance.now();
  let transport: Transport;
  try {
    transport = await connectSsh(host, options);
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, error };
    throw error;
  }
  try {
    const result = await transport.exec("true", { timeoutMs: host.ssh.connectTimeoutMs });
    if (result.code === 0) return { ok: true, ms: Math.round(performance.now() - started) };
    const what =
      result.code === null ? `did not finish within ${host.ssh.connectTimeoutMs} ms` : `exited with ${result.code}`;
    return {
      ok: false,
      error: new UnreachableError(
        host.name,
        `probe command \`true\` on ${endpoint(host)} ${what}`,
        result.code === null ? "timeout" : "other",
      ),
    };
  } catch (error) {
    if (error instanceof UnreachableError) return { ok: false, error };
    throw error;
  } finally {
    await transport.close();
  }
}
