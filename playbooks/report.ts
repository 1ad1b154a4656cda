// `npx tsx playbooks/report.ts [ID] -o FILE.html [-i ENV]`: a recorded run as one self-contained HTML page.
import inventory from "../hosts.ts";
import { isMain } from "../lib/cli/main.ts";
import { reportCommand } from "../lib/cli/report-command.ts";
import { exitWith } from "../lib/cli/steps.ts";

if (isMain(import.meta.url)) exitWith(reportCommand(inventory));
