// `npx tsx playbooks/runs.ts [show ID | diff A B] [-i ENV]`: the run history — the runs of an environment, one run's
// story and recap, what differs between two runs.
import inventory from "../hosts.ts";
import { isMain } from "../lib/cli/main.ts";
import { runsCommand } from "../lib/cli/runs-command.ts";
import { exitWith } from "../lib/cli/steps.ts";

if (isMain(import.meta.url)) exitWith(runsCommand(inventory));
