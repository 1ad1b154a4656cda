// Test support: this machine as an SSH host on 127.0.0.1 (an ssh2 server in the test process): one throwaway client key, each exec run by /bin/sh as an unprivileged account.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { userInfo } from "node:os";
import ssh2 from "ssh2";
import type { Connection, ParsedKey } from "ssh2";

const { Server, utils } = ssh2;

export interface KeyPair {
  /** OpenSSH private key text. */
  private: string;
  parsed: ParsedKey;
  /** The public key in SSH wire format. */
  blob: Buffer;
}

/** A fresh pair (ed25519 unless asked); ssh2 1.17 emits an unparsable one about once in 200 tries, so those are made again. */
export function keyPair(type: "ed25519" | "ecdsa" = "ed25519"): KeyPair {
  for (;;) {
    const pair =
      type === "ed25519" ? utils.generateKeyPairSync("ed25519") : utils.generateKeyPairSync("ecdsa", { bits: 256 });
    const parsed = utils.parseKey(pair.public);
    if (!(parsed instanceof Error) && !(utils.parseKey(pair.private) instanceof Error))
      return { private: pair.private, parsed, blob: parsed.getPublicSSH() };
  }
}

/** Who the host's commands run as: root's tests run them as `nobody`, anyone else's as themselves (no switch). */
export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** Set when the server switches to this account (the test runs as root). */
  switched: boolean;
}

/**
 * The account the host runs commands as. Never root: the engine's converge lock (/run/foobar) and anything outside the
 * scratch directory are this machine's own, and an unprivileged login can write neither — the run then sees a host
 * where it cannot take the lock ("lock=unavailable"), as on any host it reaches without root.
 */
export function hostAccount(): Account {
  const self = userInfo();
  if (self.uid !== 0) return { name: self.username, uid: self.uid, gid: self.gid, switched: false };
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((entry) => entry.startsWith("nobody:"));
  const [, , uid, gid] = line?.split(":") ?? [];
  if (uid === undefined || gid === undefined) throw new Error("ssh-host: no nobody account in /etc/passwd to run as");
  return { name: "nobody", uid: Number(uid), gid: Number(gid), switched: true };
}

export interface SshHost {
  port: number;
  /** The server's host key, for a known_hosts line. */
  hostKey: KeyPair;
  /** `[127.0.0.1]:PORT ssh-ed25519 BASE64`: the line that pins this host. */
  knownHostsLine: string;
  /** Commands started on it so far, in order. */
  commands: string[];
  /** Each login accepted so far, in order, with how many commands it started. */
  logins: { commands: number }[];
  /** Resolves once `count` commands have started on the host (at once if they have). */
  started(count: number): Promise<void>;
  /** Resolves once no command runs on the host (at once if none does). */
  idle(): Promise<void>;
  /** Cut every login's TCP connection from the host's side, as a host that goes away does. */
  dropConnections(): void;
  /** Hang up on the next `count` connections as they open, as a host that is still starting does. */
  hangUpOnNext(count: number): void;
  close(): Promise<void>;
}

export interface SshHostOptions {
  /** The only key a login may use. */
  clientKey: KeyPair;
  /** The account commands run as (hostAccount()); a login must name it. */
  account: Account;
  /** The working directory and $HOME of every command. */
  home: string;
  /** The keys the host offers, in its order of preference (default: one fresh ed25519 key). */
  hostKeys?: KeyPair[];
}

/** The login shell's environment: what sshd gives a session, no more (the test's own variables stay out). */
function sessionEnv(account: Account, home: string): NodeJS.ProcessEnv {
  return {
    PATH: "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    HOME: home,
    USER: account.name,
    LOGNAME: account.name,
    SHELL: "/bin/sh",
  };
}

/**
 * Start the host on 127.0.0.1, on a free port. Publickey logins of `clientKey` as `account.name` only; each exec
 * channel runs its command with `/bin/sh -c` as the account (stdin, stdout, stderr and the exit status piped), and a
 * channel the client closes (its timeout) has its command's process group killed. No pty, shell or subsystem.
 */
export function startSshHost(options: SshHostOptions): Promise<SshHost> {
  const hostKeys = options.hostKeys ?? [keyPair()];
  const hostKey = hostKeys[0]!;
  const connections = new Set<Connection>();
  const running = new Set<number>();
  const commands: string[] = [];
  const logins: { commands: number }[] = [];
  let idleWaiters: (() => void)[] = [];
  let startWaiters: { count: number; wake: () => void }[] = [];
  const ended = (pid: number) => {
    running.delete(pid);
    if (running.size > 0) return;
    for (const wake of idleWaiters) wake();
    idleWaiters = [];
  };
  const began = (command: string) => {
    commands.push(command);
    const ready = startWaiters.filter((waiter) => commands.length >= waiter.count);
    startWaiters = startWaiters.filter((waiter) => commands.length < waiter.count);
    for (const waiter of ready) waiter.wake();
  };
  let hangUps = 0;
  const server = new Server({ hostKeys: hostKeys.map((key) => key.private) }, (connection) => {
    if (hangUps > 0) {
      hangUps--;
      connection.on("error", () => {});
      connection.end();
      return;
    }
    connections.add(connection);
    // As sshd does (and the client, lib/connection/ssh.ts): no Nagle delay on the small packets of an exec.
    // (ssh2's Connection has setNoDelay; @types/ssh2 leaves it out.)
    (connection as unknown as { setNoDelay(noDelay: boolean): void }).setNoDelay(true);
    connection.on("close", () => connections.delete(connection));
    connection.on("error", () => {});
    connection.on("authentication", (context) => {
      if (
        context.username !== options.account.name ||
        context.method !== "publickey" ||
        !context.key.data.equals(options.clientKey.blob)
      )
        return context.reject(["publickey"]);
      if (!context.signature) return context.accept();
      if (options.clientKey.parsed.verify(context.blob!, context.signature, context.hashAlgo)) return context.accept();
      context.reject(["publickey"]);
    });
    connection.on("ready", () => {
      const login = { commands: 0 };
      logins.push(login);
      connection.on("session", (acceptSession) => {
        acceptSession().on("exec", (acceptExec, _reject, info) => {
          login.commands++;
          const channel = acceptExec();
          const child = spawn("/bin/sh", ["-c", info.command], {
            cwd: options.home,
            env: sessionEnv(options.account, options.home),
            detached: true,
            ...(options.account.switched ? { uid: options.account.uid, gid: options.account.gid } : {}),
          });
          running.add(child.pid!);
          began(info.command);
          child.stdin.on("error", () => {});
          channel.pipe(child.stdin);
          child.stdout.pipe(channel, { end: false });
          child.stderr.pipe(channel.stderr);
          child.on("close", (code) => {
            ended(child.pid!);
            channel.exit(code ?? 255);
            channel.end();
          });
          channel.on("close", () => {
            if (!running.has(child.pid!)) return;
            try {
              process.kill(-child.pid!, "SIGKILL");
            } catch {
              // Already gone.
            }
          });
        });
      });
    });
  });
  return new Promise((resolveHost, rejectHost) => {
    server.once("error", rejectHost);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as AddressInfo).port;
      resolveHost({
        port,
        hostKey,
        knownHostsLine: `[127.0.0.1]:${port} ${hostKey.parsed.type} ${hostKey.blob.toString("base64")}`,
        commands,
        logins,
        started: (count) =>
          commands.length >= count ? Promise.resolve() : new Promise((wake) => startWaiters.push({ count, wake })),
        idle: () => (running.size === 0 ? Promise.resolve() : new Promise((wake) => idleWaiters.push(wake))),
        hangUpOnNext: (count) => {
          hangUps = count;
        },
        dropConnections: () => {
          for (const connection of connections) connection.end();
        },
        close: () =>
          new Promise((resolveClosed) => {
            for (const pid of running) {
              try {
                process.kill(-pid, "SIGKILL");
              } catch {
                // Already gone.
              }
            }
            for (const connection of connections) connection.end();
            server.close(() => resolveClosed());
          }),
      });
    });
  });
}
