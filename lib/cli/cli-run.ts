// The engine's options for one playbook run as the command line asked for it: reporters (the run history's among
// them), connectors, the repo's paths.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import type { InventorySpec } from "../inventory/types.ts";
import { fanOut, type Reporter } from "../report/events.ts";
import { humanReporter } from "../report/human.ts";
import { ndjsonReporter } from "../report/ndjson.ts";
import { profileReporter } from "../report/profile.ts";
import type { RunOptions } from "../runner/run-options.ts";
import type { CliOptions } from "./args.ts";
import { REPO_ROOT, sshConnector } from "./connector.ts";
import { cliHistoryReporter } from "./history.ts";

/**
 * Human lines (live progress lines on a TTY, and the command that reruns what failed) or NDJSON, plus the profile when
 * asked (to stderr under --json). `live`: a run of its own, not a step of a command that prints between steps.
 */
export function cliReporter(cli: CliOptions, live: boolean): Reporter {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const output = cli.json
    ? ndjsonReporter(cli.verbosity)
    : humanReporter({
        verbosity: cli.verbosity,
        color,
        live: live && Boolean(process.stdout.isTTY),
        rerunHint: live,
      });
  if (!cli.profile) return output;
  return fanOut(
    output,
    profileReporter((line) => (cli.json ? console.error(line) : console.log(line))),
  );
}

/** The roles of this repository (roles/NAME/index.ts): a var namespace of hosts.ts must name one of them. */
export function repoRoleNames(): string[] {
  const dir = join(REPO_ROOT, "roles");
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, "index.ts")));
}

/**
 * Every option of `cli` for a run of `inventory`; `live`: a progress line on a TTY (a command's steps print plain
 * lines between its own). The caller may narrow limit and tags (a step on one host).
 */
export function cliRunOptions(cli: CliOptions, inventory: InventorySpec, live: boolean): RunOptions {
  return {
    ...cli,
    inventory,
    reporter: fanOut(cliReporter(cli, live), cliHistoryReporter(cli, inventory)),
    connect: sshConnector(cli),
    // The lockout check after a firewall or sshd change must prove a new login, never ride a kept OpenSSH master.
    connectFresh: sshConnector({ ...cli, persistSeconds: 0 }, "fresh"),
    repoRoot: REPO_ROOT,
    factsDir: join(REPO_ROOT, ".cache", "facts"),
    knownRoles: repoRoleNames(),
  };
}
