// Every command the manual shows is run: the newcomer's two by .ci/run, the others by test/lab/docs.test.ts, as typed.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { docCommands, manualCommands, runByCi } from "../doc-commands.ts";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

test("a page's commands: the lines of its sh blocks with their documented exit codes; other blocks are not commands", () => {
  const page = [
    "Text with `bin/foobar-infra site -i lab` inline.",
    "```sh",
    "# a comment line",
    "bin/foobar-infra site -i lab --check    # exit 2",
    "```",
    "```ts",
    "run(site, inventory);",
    "```",
    "```",
    "npm run nothing",
    "```",
  ].join("\n");
  assert.equal(
    docCommands("docs/page.md", page).map(({ line, command, exitCode }) => [line, command, exitCode]),
    [[4, "bin/foobar-infra site -i lab --check    # exit 2", 2]],
  );
});

test("README's inline commands count too, and only commands", () => {
  const readme = "Run `bin/foobar-infra site -i lab`, or `npm test`; see `hosts.ts` and `--check`.";
  assert.equal(
    docCommands("README.md", readme).map((item) => item.command),
    ["bin/foobar-infra site -i lab", "npm test"],
  );
});

test("a command runs by CI only when .ci/run has each of its parts as a line", () => {
  const script = "set -e\nnpm ci\nnpm run demo\nnpm test\n";
  assert.ok(runByCi("npm ci && npm run demo     # as root", script));
  assert.ok(runByCi("npm test", script));
  assert.not.ok(runByCi("npm ci && npm run lab -- up", script));
  assert.not.ok(runByCi("bin/foobar-infra site -i lab", script));
});

test("README opens with the newcomer's two commands, and .ci/run runs both as typed", () => {
  const opening = docCommands("README.md", README.slice(0, README.indexOf("```\n", README.indexOf("```sh")) + 4));
  assert.equal(
    opening.map((item) => item.command.replace(/\s+#.*$/, "")),
    ["npm ci && npm run demo", "npm test"],
  );
  for (const { command } of opening) assert.ok(runByCi(command), `.ci/run does not run "${command}" as typed`);
});

test("every command of the manual can be typed: no placeholder left for the reader to fill in", () => {
  const commands = manualCommands();
  assert.ok(commands.length >= 10, `the manual's commands were found: ${commands.length}`);
  const placeholders = commands.filter((item) => /\b(?!ENV\b)[A-Z]{3,}\b/.test(item.command.replace(/#.*$/, "")));
  assert.equal(
    placeholders.map((item) => `${item.file}:${item.line}: ${item.command}`),
    [],
    "a placeholder (HOST, NAME…) belongs in prose or the CLI reference, not in a command a test runs",
  );
});

test.run();
