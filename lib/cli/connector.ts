// How the CLI reaches hosts: the repository root everything relative in hosts.ts hangs off, and the SSH connector.
import { homedir } from "node:os";
import { join, resolve } from "node:path";
import { knownHostsFilesFor, PIN_FILE } from "../connection/known-hosts.ts";
import { connectTarget, takeLoginAhead, type LoginTarget } from "../connection/logins-ahead.ts";
import type { Host } from "../inventory/types.ts";
import type { CliOptions } from "./args.ts";
import { noteLogin } from "./login-record.ts";

/** The repository root: everything relative in hosts.ts (keys, known_hosts, secrets) is relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** Where persistent logins keep their control sockets: the user's runtime directory, else their cache. */
export function controlDir(): string {
  return join(process.env.XDG_RUNTIME_DIR || join(homedir(), ".cache"), "foobar-infra", "ssh");
}

/**
 * SSH connector for a run: strict host keys from the host's known_hosts plus ./known_hosts; ssh2, or OpenSSH with
 * --persist. A run's connector takes over a login bin/foobar-infra started ahead for the same host and options, and
 * notes each login for the next start (lib/cli/login-record.ts); a `fresh` one always logs in anew (the lockout check).
 */
export function sshConnector(
  options: Pick<CliOptions, "acceptNewHostKeys" | "timeoutSeconds"> & { persistSeconds?: number },
  use: "run" | "fresh" = "run",
) {
  const pinFile = join(REPO_ROOT, PIN_FILE);
  return (host: Host) => {
    const sshOptions = {
      knownHostsFiles: knownHostsFilesFor(host, REPO_ROOT),
      pinFile,
      acceptNewHostKeys: options.acceptNewHostKeys,
      commandTimeoutMs: options.timeoutSeconds * 1000,
      repoRoot: REPO_ROOT,
    };
    const target: LoginTarget = {
      host,
      options: options.persistSeconds
        ? { ...sshOptions, persistSeconds: options.persistSeconds, controlDir: controlDir() }
        : sshOptions,
    };
    if (use === "fresh") return connectTarget(target);
    noteLogin(target);
    // A login ahead that failed (a host still starting, a moment ago) is tried again now, as if none had been started.
    return takeLoginAhead(target)?.catch(() => connectTarget(target)) ?? connectTarget(target);
  };
}
