// `report [ID] -o FILE.html [-i ENV]`: one recorded run (the last of ENV without an id) as a self-contained HTML page.
import { writeFileSync } from "node:fs";
import { InputError } from "../errors.ts";
import type { InventorySpec } from "../inventory/types.ts";
import { loadInventory } from "../inventory/load.ts";
import { listHeaders, readRecord } from "../report/history-store.ts";
import { runTitle } from "../report/run-diff.ts";
import { reportPage } from "../report/report-page.ts";
import { parseCli, type CommandOptions } from "./args.ts";
import { historyDir } from "./history.ts";
import { splitWords } from "./split-words.ts";

export const REPORT_COMMAND: CommandOptions = {
  name: "report.ts",
  extra: { output: { type: "string", short: "o" } },
  honours: ["environment"],
  refusal: "report.ts writes a page from the run history, it runs nothing",
};

export const REPORT_HELP = `Usage: npx tsx playbooks/report.ts [ID] -o FILE.html [-i ENV]     (or bin/foobar-infra report …)

Writes one recorded run (runs.ts lists them; without ID the last run of ENV) as one HTML page (0600) that needs
nothing else: readable offline and printable. It holds the recap, a timeline row per host (its plays and tasks placed
by their recorded start and duration, idle time hatched), the changed resources with their masked diffs (recorded
under --diff), the failures with their messages and the slowest tasks.
  -o, --output FILE          the page to write
  -i, --inventory NAME       environment of hosts.ts: production (default), lab, vagrant
  -h, --help                 this text
Exit codes: 0 written, 4 invalid input (no -o, an id the history does not hold).`;

/** The id of the last run of `environment`. */
function lastRunId(dir: string, environment: string): string {
  const last = listHeaders(dir, environment).at(-1);
  if (!last) throw new InputError([`report.ts: no run of inventory ${environment} in the history (${dir})`]);
  return last.id;
}

/** Run the report command; its exit code. */
export async function reportCommand(inventory: InventorySpec, argv = process.argv.slice(2)): Promise<number> {
  const { words, options } = splitWords(argv, REPORT_COMMAND.extra);
  const cli = parseCli(options, REPORT_COMMAND);
  if (cli.help) {
    console.log(REPORT_HELP);
    return 0;
  }
  const output = cli.extra.output;
  if (typeof output !== "string" || output === "") throw new InputError(["report.ts: -o FILE.html is required"]);
  if (words.length > 1) throw new InputError([`report.ts: one run id at most, found ${words.join(" ")}`]);
  const dir = historyDir();
  const record = readRecord(dir, words[0] ?? lastRunId(dir, loadInventory(inventory, cli.environment).environment));
  writeFileSync(output, reportPage(record), { mode: 0o600 });
  console.log(`wrote ${output}: run ${runTitle(record.header)}`);
  return 0;
}
