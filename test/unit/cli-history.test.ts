// The CLI's history reporter (lib/cli/history.ts): runs recorded in FOOBAR_RUN_HISTORY_DIR within the environment's
// runHistory bound, and a record that cannot be written reported as a warning on stderr.
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cliHistoryReporter } from "../../lib/cli/history.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { scratchDir } from "./support/scratch.ts";

const inventory = defineInventory({
  environments: {
    test: {
      hosts: { h1: { address: "10.9.0.1" } },
      groups: { web: { hosts: ["h1"] } },
      ssh: { user: "root" },
      runHistory: { runs: 1 },
    },
  },
});

/** One run through the CLI's history reporter, history in `dir`; what it printed on stderr. */
function recordRun(dir: string): string {
  process.env.FOOBAR_RUN_HISTORY_DIR = dir;
  const reporter = cliHistoryReporter({ environment: "test", limit: undefined }, inventory);
  reporter.emit({ type: "start", playbook: "site", environment: "test", hosts: ["h1"], check: false });
  const counts = { ok: 1, changed: 0, failed: 0, unreachable: 0, skipped: 0 };
  reporter.emit({ type: "recap", hosts: { h1: counts }, durationMs: 5, exitCode: 0, check: false });
  let printed = "";
  const { error } = console;
  console.error = (line: string) => {
    printed += `${line}\n`;
  };
  try {
    reporter.close();
  } finally {
    console.error = error;
  }
  return printed;
}

test("each run is recorded, and the environment's runHistory bound keeps only the last one", () => {
  const dir = scratchDir("cli-history-");
  assert.is(recordRun(dir), "");
  assert.is(readdirSync(join(dir, "test")).length, 1);
  assert.is(recordRun(dir), "");
  assert.is(readdirSync(join(dir, "test")).length, 1);
});

test("a history that cannot be written is a warning on stderr naming its directory", () => {
  const file = join(scratchDir("cli-history-"), "not-a-directory");
  writeFileSync(file, "");
  assert.match(recordRun(file), new RegExp(`^warning: the run was not recorded in ${file}: `));
});

test.run();
