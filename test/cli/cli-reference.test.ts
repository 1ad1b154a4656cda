// Each command the CLI reference (docs/cli.md) names, run for real, prints the help it shows; every playbook file has
// its section (test/unit/cli-reference.test.ts checks the page is current).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { execa } from "execa";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { CLI_REFERENCE_FILE } from "../../playbooks/reference.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");
const page = readFileSync(CLI_REFERENCE_FILE, "utf8");

/** The headings that name a command: the launcher, a playbook file, or a playbook file and its subcommand. */
const commandHeadings = [...page.matchAll(/^##+ (bin\/foobar-infra|\S+\.ts(?: \S+)?)$/gm)].map((match) => match[1]!);

/** The launcher's arguments that ask a heading's command for its help: `secrets.ts rotate` → secrets rotate --help. */
const helpArgs = (heading: string) =>
  heading === "bin/foobar-infra" ? ["--help"] : [...heading.replace(/\.ts\b/, "").split(" "), "--help"];

test("every playbook file of playbooks/ has its section", () => {
  const playbooks = readdirSync(join(REPO_ROOT, "playbooks")).filter((file) => file.endsWith(".ts"));
  assert.equal(
    playbooks.filter((file) => !commandHeadings.includes(file)),
    [],
    "playbooks without a section in docs/cli.md",
  );
});

test("every command the reference names exits 0 on --help, printing the help the page shows", async () => {
  assert.ok(commandHeadings.length > 10, `the page names its commands: ${commandHeadings.join(", ")}`);
  const results = await Promise.all(
    commandHeadings.map(async (heading) => {
      const args = helpArgs(heading);
      // The page shows the identity file under ~/.config; the help prints $XDG_CONFIG_HOME's.
      const env = { ...process.env, XDG_CONFIG_HOME: "~/.config" };
      const { exitCode, stdout, stderr } = await execa(join(REPO_ROOT, "bin/foobar-infra"), args, {
        cwd: REPO_ROOT,
        env,
        reject: false,
        stripFinalNewline: false,
      });
      return { command: `bin/foobar-infra ${args.join(" ")}`, exitCode, stdout, stderr };
    }),
  );
  for (const { command, exitCode, stdout, stderr } of results) {
    assert.is(exitCode, 0, `${command}: ${stderr}`);
    assert.ok(page.includes(`\`\`\`text\n${stdout}\`\`\`\n`), `${command} prints help that docs/cli.md does not show`);
  }
});

test.run();
