// The run history of this checkout: where it lives (.runs/, git-ignored; FOOBAR_RUN_HISTORY_DIR elsewhere, as tests
// do) and the reporter that records a CLI run there, bounded as the inventory's environment says.
import { join } from "node:path";
import type { InventorySpec } from "../inventory/types.ts";
import { loadInventory } from "../inventory/load.ts";
import type { Reporter } from "../report/events.ts";
import { historyReporter } from "../report/history-reporter.ts";
import { runOrigin } from "../report/run-origin.ts";
import type { CliOptions } from "./args.ts";
import { REPO_ROOT } from "./connector.ts";

/** The history's directory, read when asked (a test sets FOOBAR_RUN_HISTORY_DIR after start). */
export function historyDir(): string {
  return process.env.FOOBAR_RUN_HISTORY_DIR || join(REPO_ROOT, ".runs");
}

/** Records the run `cli` asks for in the history, kept within its environment's runHistory bound. */
export function cliHistoryReporter(cli: Pick<CliOptions, "environment" | "limit">, inventory: InventorySpec): Reporter {
  return historyReporter({
    dir: historyDir(),
    bound: () => loadInventory(inventory, cli.environment).runHistory,
    limit: cli.limit,
    origin: () => runOrigin(REPO_ROOT),
    warn: (message) => console.error(`warning: ${message}`),
  });
}
