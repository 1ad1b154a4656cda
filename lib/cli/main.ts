// run(playbook): every playbook file is a CLI — parse argv, converge, print, exit with the right code.
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { knownHostsFilesFor, PIN_FILE } from "../connection/known-hosts.ts";
import { homedir } from "node:os";
import { connectOpenSsh } from "../connection/openssh.ts";
import { connectSsh } from "../connection/ssh.ts";
import { InputError } from "../errors.ts";
import type { Host, InventorySpec } from "../inventory/types.ts";
import { loadInventory } from "../inventory/load.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { fanOut } from "../report/events.ts";
import { humanReporter } from "../report/human.ts";
import { mask } from "../mask.ts";
import { ndjsonReporter } from "../report/ndjson.ts";
import { profileReporter } from "../report/profile.ts";
import { applyLimit } from "../runner/limit.ts";
import { playTargets } from "../runner/plan.ts";
import { runPlaybook } from "../runner/run.ts";
import { parseCli, USAGE, type CliOptions } from "./args.ts";

/** The repository root: everything relative in hosts.ts (keys, known_hosts, secrets) is relative to it. */
export const REPO_ROOT = resolve(import.meta.dirname, "../..");

/** Where persistent logins keep their control sockets: the user's runtime directory, else their cache. */
export function controlDir(): string {
  return join(process.env.XDG_RUNTIME_DIR || join(homedir(), ".cache"), "foobar-infra", "ssh");
}

/** SSH connector for a run: strict host keys from the host's known_hosts plus ./known_hosts; ssh2, or OpenSSH with --persist. */
export function sshConnector(
  options: Pick<CliOptions, "acceptNewHostKeys" | "timeoutSeconds"> & { persistSeconds?: number },
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
    return options.persistSeconds
      ? connectOpenSsh(host, { ...sshOptions, persistSeconds: options.persistSeconds, controlDir: controlDir() })
      : connectSsh(host, sshOptions);
  };
}

function listHosts(playbook: Playbook, inventory: InventorySpec, cli: CliOptions): void {
  const loaded = loadInventory(inventory, cli.environment);
  const selected = applyLimit(loaded, cli.limit);
  for (const play of playbook.plays) {
    console.log(
      `play "${play.name}": ${
        playTargets(play, loaded)
          .filter((host) => selected.has(host.name))
          .map((host) => `${host.name} (${host.address})`)
          .join(", ") || "no hosts"
      }`,
    );
  }
}

/** Parse process.argv, run the playbook and set process.exitCode (0, 1, 2, 3 or 4). */
export async function run(playbook: Playbook, inventory: InventorySpec, argv = process.argv.slice(2)): Promise<number> {
  let code: number;
  try {
    const cli = parseCli(argv);
    if (cli.help) {
      console.log(`Usage: npx tsx playbooks/${playbook.name}.ts [options]\n\n${USAGE}`);
      process.exitCode = 0;
      return 0;
    }
    if (cli.listHosts) {
      listHosts(playbook, inventory, cli);
      process.exitCode = 0;
      return 0;
    }
    const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
    const output = cli.json
      ? ndjsonReporter()
      : humanReporter({ verbosity: cli.verbosity, color, live: Boolean(process.stdout.isTTY) });
    // Under --json the profile goes to stderr: stdout stays NDJSON.
    const reporter = cli.profile
      ? fanOut(
          output,
          profileReporter((line) => (cli.json ? console.error(line) : console.log(line))),
        )
      : output;
    const result = await runPlaybook(playbook, {
      ...cli,
      inventory,
      reporter,
      connect: sshConnector(cli),
      connectFresh: sshConnector({ ...cli, persistSeconds: 0 }),
      repoRoot: REPO_ROOT,
      factsDir: join(REPO_ROOT, ".cache", "facts"),
    });
    code = result.exitCode;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(mask(`error: ${error.message}`));
    code = 4;
  }
  process.exitCode = code;
  return code;
}

/** True when `moduleUrl` is the file node was started with (a playbook run as a CLI, not imported). */
export function isMain(moduleUrl: string): boolean {
  return Boolean(process.argv[1]) && resolve(process.argv[1]!) === fileURLToPath(moduleUrl);
}
