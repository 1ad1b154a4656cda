// Test support: the fixture site of test/cli/playbooks/ on loopback SSH hosts in a scratch directory, and bin/foobar-infra run on it as a child process.
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { FIXTURE_ENV, type FixtureConfig } from "../playbooks/fixture-config.ts";
import { scratchDir } from "../../unit/support/scratch.ts";
import { hostAccount, keyPair, startSshHost, type Account, type SshHost } from "../../unit/support/ssh-host.ts";

const REPO_ROOT = join(import.meta.dirname, "../../..");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliSite {
  config: FixtureConfig;
  /** The hosts' scratch root: host NAME's files are under <hosts>/NAME/. */
  hosts: string;
  servers: Record<string, SshHost>;
  account: Account;
  /** Where the operator's files live: HOME and XDG_CONFIG_HOME of every run. */
  home: string;
  /** `bin/foobar-infra test/cli/playbooks/FILE.ts ARGS… -i ENV`, from the repository root; -i is left to ARGS when
   * they have one, or out with `inventory: false` (a command that takes none). */
  cli(
    file: "files" | "vault" | "secrets",
    args: string[],
    options?: {
      input?: string;
      env?: Record<string, string>;
      config?: Partial<FixtureConfig>;
      inventory?: boolean;
      /** Kill the run after this long (it then fails): for a test whose failure is a run that never ends. */
      killAfterMs?: number;
    },
  ): Promise<CliResult>;
  /** The login records bin/foobar-infra keeps for this site's commands (.cache/logins/), by file. */
  loginRecords(): string[];
  close(): Promise<void>;
}

/**
 * A scratch directory holding the hosts' files (owned by the account the hosts run commands as, the only place it can
 * write), the throwaway client key and a known_hosts pinning each host's key (this process's own, 0600), and the
 * operator's home; one SSH host per name. The environment is named for `prefix` and this process, so its
 * facts cache (.cache/facts/ENV/) is its own; close() removes it.
 */
export async function cliSite(
  prefix: string,
  hostNames: string[],
  extra: Partial<FixtureConfig> = {},
): Promise<CliSite> {
  const scratch = scratchDir(prefix);
  chmodSync(scratch, 0o711);
  const account = hostAccount();
  const hosts = join(scratch, "hosts");
  const ssh = join(scratch, "ssh");
  const home = join(scratch, "home");
  mkdirSync(hosts);
  mkdirSync(ssh, { mode: 0o700 });
  mkdirSync(home, { mode: 0o700 });
  if (account.switched) chownSync(hosts, account.uid, account.gid);
  const clientKey = keyPair();
  const key = join(ssh, "id_ed25519");
  writeFileSync(key, clientKey.private, { mode: 0o600 });
  const servers: Record<string, SshHost> = {};
  for (const name of hostNames) servers[name] = await startSshHost({ clientKey, account, home: hosts });
  const knownHosts = join(ssh, "known_hosts");
  writeFileSync(
    knownHosts,
    Object.values(servers)
      .map((server) => `${server.knownHostsLine}\n`)
      .join(""),
    {
      mode: 0o600,
    },
  );
  const config: FixtureConfig = {
    environment: `${prefix.replace(/-$/, "")}-${process.pid}`,
    root: hosts,
    hosts: Object.fromEntries(Object.entries(servers).map(([name, server]) => [name, server.port])),
    user: account.name,
    key,
    knownHosts,
    secretsFile: join(scratch, "secrets", "fixture.age"),
    ...extra,
  };
  // The test's own FOOBAR_* variables (a secret's value, FOOBAR_SSH_PERSIST, an age identity) stay out of the runs.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("FOOBAR_")));
  return {
    config,
    hosts,
    servers,
    account,
    home,
    async cli(file, args, options = {}) {
      const result = await execa(
        join(REPO_ROOT, "bin/foobar-infra"),
        [
          `test/cli/playbooks/${file}.ts`,
          ...args,
          ...(args.includes("-i") || options.inventory === false ? [] : ["-i", config.environment]),
        ],
        {
          cwd: REPO_ROOT,
          env: {
            ...inherited,
            HOME: home,
            XDG_CONFIG_HOME: join(home, ".config"),
            FOOBAR_RUN_HISTORY_DIR: join(scratch, "runs"),
            [FIXTURE_ENV]: JSON.stringify({ ...config, ...options.config }),
            ...options.env,
          },
          extendEnv: false,
          input: options.input ?? "",
          reject: false,
          stripFinalNewline: false,
          ...(options.killAfterMs ? { timeout: options.killAfterMs } : {}),
        },
      );
      return { code: result.exitCode ?? -1, stdout: result.stdout, stderr: result.stderr };
    },
    loginRecords: () => loginRecordsOf(scratch),
    async close() {
      await Promise.all(Object.values(servers).map((server) => server.close()));
      rmSync(join(REPO_ROOT, ".cache", "facts", config.environment), { recursive: true, force: true });
      for (const file of loginRecordsOf(scratch)) rmSync(file, { force: true });
    },
  };
}

/** The launcher's login records of runs against this scratch site: those that name its files (its known_hosts). */
function loginRecordsOf(scratch: string): string[] {
  const dir = join(REPO_ROOT, ".cache", "logins");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((file) => file.endsWith(".json") && readFileSync(file, "utf8").includes(scratch));
}
