// docs/cli.md is the page lib/cli/cli-reference.ts renders from the commands' help and options (the page is checked
// against each command run for real in test/cli/cli-reference.test.ts); its options table covers every flag.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { FLAGS } from "../../lib/cli/flags.ts";
import { CLI_REFERENCE_FILE, cliReferencePage } from "../../playbooks/reference.ts";

const page = readFileSync(CLI_REFERENCE_FILE, "utf8");

test("docs/cli.md is the page rendered from the commands' help and options", () => {
  assert.is(page, cliReferencePage(), "docs/cli.md is stale: run npx tsx playbooks/reference.ts");
});

test("the options table has a row for every flag of the table, a cell for every command", () => {
  const section = page.slice(page.indexOf("## Options by command"));
  const rows = section
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .map((line) => line.split(" | "));
  assert.equal(
    rows.map((cells) => cells[0]!.slice(2)),
    Object.values(FLAGS).map(({ short, long }) => `\`${short ? `-${short}, ` : ""}--${long}\``),
  );
  const columns = section.split("\n")[2]!.split(" | ").length;
  for (const cells of rows) assert.is(cells.length, columns, cells.join(" | "));
});

test.run();
