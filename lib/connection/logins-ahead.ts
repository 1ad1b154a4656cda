// Logins started before the run needs them: bin/foobar-infra starts the logins its last run of the same command made,
// from a small bundle of this file, while node loads the playbook's bundle; the run takes over each login that matches
// a host it connects to (the same address, user, key and options), and closes the others unused.
import type { Host } from "../inventory/types.ts";
import { connectOpenSsh, type PersistOptions } from "./openssh.ts";
import { connectSsh, type SshOptions } from "./ssh.ts";
import type { Transport } from "./transport.ts";

/** One login: the host as the inventory gave it and the options it was connected with (persist ones: OpenSSH). */
export interface LoginTarget {
  host: Host;
  options: SshOptions | PersistOptions;
}

/** A login started ahead, and what abandons it while it is still under way. */
interface StartedLogin {
  login: Promise<Transport>;
  abandon: AbortController;
}

const REGISTRY = Symbol.for("foobar-infra.logins-ahead");

/** The logins started ahead, by target: on globalThis, because this module has two copies in a launched run, the
 * launcher's small bundle and the playbook's. */
function registry(): Map<string, StartedLogin> {
  const global = globalThis as Record<symbol, Map<string, StartedLogin> | undefined>;
  global[REGISTRY] ??= new Map();
  return global[REGISTRY];
}

/** Everything a login depends on, in a fixed order: two targets with the same key log in the same way. */
export function loginKey({ host, options }: LoginTarget): string {
  const persist = "persistSeconds" in options ? [options.persistSeconds, options.controlDir] : [];
  return JSON.stringify([
    host.name,
    host.address,
    host.ssh.port,
    host.ssh.user,
    host.ssh.key ?? null,
    host.ssh.connectTimeoutMs,
    options.knownHostsFiles,
    options.pinFile,
    options.acceptNewHostKeys,
    options.commandTimeoutMs ?? null,
    options.repoRoot ?? null,
    ...persist,
  ]);
}

/** Connect as the run would: ssh2, or OpenSSH with a persistent master. */
export function connectTarget({ host, options }: LoginTarget, signal?: AbortSignal): Promise<Transport> {
  return "persistSeconds" in options && options.persistSeconds
    ? connectOpenSsh(host, options as PersistOptions)
    : connectSsh(host, options, signal);
}

/** Start a login to each target now. Never one that would pin a new host key: only strict host-key checking goes ahead. */
export function startLoginsAhead(targets: readonly LoginTarget[]): void {
  const started = registry();
  for (const target of targets) {
    if (target.options.acceptNewHostKeys) continue;
    const abandon = new AbortController();
    const login = connectTarget(target, abandon.signal);
    login.catch(() => undefined); // a failed login is reported by the run that takes it over, or by none
    started.set(loginKey(target), { login, abandon });
  }
}

/** The login started ahead for `target`, once; undefined when none was (the caller connects itself). */
export function takeLoginAhead(target: LoginTarget): Promise<Transport> | undefined {
  const started = registry();
  const key = loginKey(target);
  const login = started.get(key)?.login;
  started.delete(key);
  return login;
}

/** Every login started ahead that no run took over: abandoned if still under way, else closed. */
export async function closeLoginsAhead(): Promise<void> {
  const started = registry();
  const left = [...started.values()];
  started.clear();
  for (const { abandon } of left) abandon.abort();
  await Promise.all(
    left.map(({ login }) =>
      login.then(
        (transport) => transport.close(),
        () => undefined,
      ),
    ),
  );
}
