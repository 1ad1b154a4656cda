// Drift watch: `bin/foobar-infra drift -i ENV` runs site.ts's --check and publishes what it found to the site's own
// Prometheus (the inventory's runMetrics host), exiting with the check's code; --install-timer runs it on a timer.
import inventory from "../hosts.ts";
import { parseCli, STEP_FLAGS, usageOf, type CommandOptions } from "../lib/cli/args.ts";
import { cliRunOptions } from "../lib/cli/cli-run.ts";
import { REPO_ROOT } from "../lib/cli/connector.ts";
import { installDriftTimer } from "../lib/cli/drift-timer.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith, sayer } from "../lib/cli/steps.ts";
import { InputError } from "../lib/errors.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import { site } from "./site.ts";

/** What drift.ts takes: its own options, and the shared ones a check honours. */
export const DRIFT_COMMAND: CommandOptions = {
  name: "drift.ts",
  extra: {
    "install-timer": { type: "boolean" },
    every: { type: "string" },
    "unit-dir": { type: "string" },
  },
  honours: ["environment", "limit", "diff", "forks", ...STEP_FLAGS],
  refusals: {
    check: "a drift run is a check already",
    tags: "a drift run checks the whole site",
    skipTags: "a drift run checks the whole site",
  },
};

/** drift.ts --help. */
export const DRIFT_HELP = `Usage: npx tsx playbooks/drift.ts [options]

${usageOf(DRIFT_COMMAND)}
Drift options:
      --install-timer        put the check on a systemd timer on this machine, as you (root: system units)
      --every SPAN           how often the timer runs it: 30s, 15m, 2h, 1d (default 15m)
      --unit-dir DIR         with --install-timer: write the units to DIR only (enable them yourself)

The exit code is the check's (2: drift). A check that cannot publish still exits with it, and says publishing failed.`;

export async function drift(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, DRIFT_COMMAND);
  if (cli.help) {
    console.log(DRIFT_HELP);
    return 0;
  }
  const loaded = loadInventory(inventory, cli.environment);
  if (!loaded.runMetrics)
    throw new InputError([
      `drift.ts: inventory ${loaded.environment} names no runMetrics host in hosts.ts: the check has nowhere to publish`,
    ]);
  if (cli.extra["install-timer"]) {
    const every = typeof cli.extra.every === "string" ? cli.extra.every : "15m";
    const unitDir = typeof cli.extra["unit-dir"] === "string" ? cli.extra["unit-dir"] : undefined;
    const say = sayer(cli, "drift");
    for (const line of installDriftTimer({ environment: loaded.environment, every, repoRoot: REPO_ROOT, unitDir }))
      say(line);
    return 0;
  }
  if (cli.extra.every !== undefined || cli.extra["unit-dir"] !== undefined)
    throw new InputError(["drift.ts: --every and --unit-dir go with --install-timer"]);
  const result = await runPlaybook(site, { ...cliRunOptions(cli, inventory, true), check: true, publishCheck: true });
  return result.exitCode;
}

if (isMain(import.meta.url)) exitWith(drift());
