// run(playbook): every playbook file is a CLI — parse argv, converge, print, exit with the right code.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { closeLoginsAhead } from "../connection/logins-ahead.ts";
import { InputError } from "../errors.ts";
import type { InventorySpec } from "../inventory/types.ts";
import { loadInventory } from "../inventory/load.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { mask } from "../mask.ts";
import { applyLimit } from "../runner/limit.ts";
import { playTargets } from "../runner/plan.ts";
import { runPlaybook } from "../runner/run.ts";
import type { RunOptions } from "../runner/run-options.ts";
import { parseCli, USAGE, type CliOptions } from "./args.ts";
import { cliRunOptions } from "./cli-run.ts";
import { resolveFailedLimit } from "./failed-limit.ts";
import { historyDir } from "./history.ts";
import { saveLoginRecord } from "./login-record.ts";

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

/** A playbook run's --help: every playbook file, site.ts or one of your own, takes the same options. */
export const playbookHelp = (name: string) => `Usage: npx tsx playbooks/${name}.ts [options]\n\n${USAGE}`;

/**
 * Parse process.argv, run the playbook and set process.exitCode (0, 1, 2, 3 or 4). `replaced`: run options a test puts
 * in place of the command line's own (a fake connector, no facts cache, a recording reporter).
 */
export async function run(
  playbook: Playbook,
  inventory: InventorySpec,
  argv = process.argv.slice(2),
  replaced: Partial<RunOptions> = {},
): Promise<number> {
  let code: number;
  try {
    const given = parseCli(argv);
    if (given.help) {
      console.log(playbookHelp(playbook.name));
      process.exitCode = 0;
      return 0;
    }
    const failed = resolveFailedLimit(given.limit, playbook.name, given.environment, historyDir());
    if ("nothing" in failed) {
      console.log(failed.nothing);
      process.exitCode = 0;
      return 0;
    }
    const cli = { ...given, limit: failed.limit };
    if (cli.listHosts) {
      listHosts(playbook, inventory, cli);
      process.exitCode = 0;
      return 0;
    }
    const result = await runPlaybook(playbook, { ...cliRunOptions(cli, inventory, true), ...replaced });
    code = result.exitCode;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    console.error(mask(`error: ${error.message}`));
    code = 4;
  } finally {
    // The logins bin/foobar-infra started ahead that this run did not take over; this run's, for its next start.
    await closeLoginsAhead();
    saveLoginRecord();
  }
  process.exitCode = code;
  return code;
}

/** Where isMain notes the file it found to be the program: on globalThis, because bin/foobar-infra's bundle has its
 * own copy of this module; the launcher reads it after importing the bundle (no note: the file defines no run). */
const MAIN_MARK = Symbol.for("foobar-infra.main");

/** True when `moduleUrl` is the file node was started with (a playbook run as a CLI, not imported). */
export function isMain(moduleUrl: string): boolean {
  const main = Boolean(process.argv[1]) && resolve(process.argv[1]!) === fileURLToPath(moduleUrl);
  if (main) (globalThis as Record<symbol, unknown>)[MAIN_MARK] = fileURLToPath(moduleUrl);
  return main;
}
