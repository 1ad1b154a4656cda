// `runs [show ID | diff A B] [-i ENV]`: the run history read back — the runs of an environment, one run's story and
// recap as it was printed, what differs between two runs per host and resource.
import { InputError } from "../errors.ts";
import type { InventorySpec } from "../inventory/types.ts";
import { loadInventory } from "../inventory/load.ts";
import { humanReporter } from "../report/human.ts";
import { listHeaders, readRecord } from "../report/history-store.ts";
import { runDiffLines, runTitle } from "../report/run-diff.ts";
import type { RunRecord } from "../report/run-record.ts";
import { runsTable } from "../report/runs-table.ts";
import { parseCli, type CommandOptions } from "./args.ts";
import { historyDir } from "./history.ts";
import { splitWords } from "./split-words.ts";

export const RUNS_COMMAND: CommandOptions = {
  name: "runs.ts",
  honours: ["environment"],
  refusal: "runs.ts reads the run history, it runs nothing",
};

export const RUNS_HELP = `Usage: npx tsx playbooks/runs.ts [show ID | diff A B] [-i ENV]     (or bin/foobar-infra runs …)

The run history (.runs/, git-ignored): every playbook run, converge or check, with its events masked as --json
prints them; each environment keeps its last runHistory.runs runs and runHistory.days days (hosts.ts; 100, 30).
  (no command)               the runs of ENV, oldest first: id, start, who, playbook, exit code, duration, hosts
  show ID                    a run's lines and recap as it printed them, with its commit, user and machine
  diff A B                   what differs from run A to run B, per host and resource
An ID is a run's whole id, the start of it, or its last 4 hex digits.
  -i, --inventory NAME       environment of hosts.ts: production (default), lab, vagrant
  -h, --help                 this text
Exit codes: 0 done, 4 invalid input (such as an id the history does not hold).`;

/** A recorded run's story as the human reporter prints it, after a line of where it came from. */
function show(record: RunRecord): void {
  const { header } = record;
  console.log(
    `run ${runTitle(header)}\nby ${header.user} on ${header.controller}, commit ${header.commit ?? "unknown"}${header.limit ? `, --limit ${header.limit}` : ""}`,
  );
  const reporter = humanReporter({ verbosity: 0, color: false, live: false, rerunHint: true });
  for (const event of record.events) reporter.emit(event);
  reporter.close();
}

/** Run the runs command; its exit code. */
export async function runsCommand(inventory: InventorySpec, argv = process.argv.slice(2)): Promise<number> {
  const { words, options } = splitWords(argv);
  const cli = parseCli(options, RUNS_COMMAND);
  if (cli.help) {
    console.log(RUNS_HELP);
    return 0;
  }
  const dir = historyDir();
  const [command, ...ids] = words;
  const wanted = (count: number, usage: string) => {
    if (ids.length !== count)
      throw new InputError([`runs.ts ${usage}: give ${count === 1 ? "one run id" : "two run ids"}`]);
  };
  switch (command) {
    case undefined: {
      const { environment } = loadInventory(inventory, cli.environment);
      const headers = listHeaders(dir, environment);
      if (headers.length === 0) console.log(`no run of inventory ${environment} in the history (${dir})`);
      else for (const line of runsTable(headers)) console.log(line);
      return 0;
    }
    case "show":
      wanted(1, "show ID");
      show(readRecord(dir, ids[0]!));
      return 0;
    case "diff":
      wanted(2, "diff A B");
      for (const line of runDiffLines(readRecord(dir, ids[0]!), readRecord(dir, ids[1]!))) console.log(line);
      return 0;
    default:
      throw new InputError([`runs.ts: unknown command "${command}" (show, diff; none: list the runs)`]);
  }
}
