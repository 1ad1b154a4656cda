// `npx tsx playbooks/reference.ts [--check]`: writes roles/<name>/README.md for every role of the site, from its declaration and a synthesis on a production host,
// and docs/cli.md, the CLI reference, from each command's --help and the shared options it takes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import inventorySpec from "../hosts.ts";
import { parseCli, PLAYBOOK_RUN, type CommandOptions } from "../lib/cli/args.ts";
import { isMain, playbookHelp } from "../lib/cli/main.ts";
import { REPORT_COMMAND, REPORT_HELP } from "../lib/cli/report-command.ts";
import { RUNS_COMMAND, RUNS_HELP } from "../lib/cli/runs-command.ts";
import { SECRETS_COMMANDS, secretsCommandOptions, secretsHelp } from "../lib/cli/secrets-command.ts";
import { exitWith } from "../lib/cli/steps.ts";
import { cliReference } from "../lib/cli/cli-reference.ts";
import { roleReference } from "../lib/docs/role-reference.ts";
import { openSynthesis } from "../lib/docs/synthesis.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { roleUses } from "../lib/dsl/playbook.ts";
import type { Role } from "../lib/dsl/role.ts";
import { playTargets } from "../lib/runner/plan.ts";
import { DEPLOY_COMMAND, DEPLOY_HELP } from "./deploy.ts";
import { DRIFT_COMMAND, DRIFT_HELP } from "./drift.ts";
import { FAILOVER_COMMAND, FAILOVER_HELP } from "./failover.ts";
import { GRAPH_COMMAND, GRAPH_HELP } from "./graph.ts";
import { site } from "./site.ts";

const REPO_ROOT = join(import.meta.dirname, "..");
const ROLES_DIR = join(REPO_ROOT, "roles");
export const CLI_REFERENCE_FILE = join(REPO_ROOT, "docs", "cli.md");
/** How the CLI reference names your identity file: secrets.ts --help prints its full path, under $XDG_CONFIG_HOME. */
const IDENTITY_FILE_SHOWN = "~/.config/foobar-infra/age-identity.txt";
/** The app's release name is a hash of the build: the page names it in words, so a change to app/ leaves it current. */
const RELEASE_NAME = /\br-[0-9a-f]{12}\b/g;

/** The role's header comment in index.ts, the lines joined, without its "Role <name>: " lead. */
function summaryOf(role: Role): string {
  const header = readFileSync(join(role.dir, "index.ts"), "utf8").match(/^(\/\/.*\n)+/)?.[0] ?? "";
  const text = header
    .replace(/^\/\/ ?/gm, "")
    .replace(/\n/g, " ")
    .trim()
    .replace(`Role ${role.name}: `, "");
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Every role of the site playbook, each synthesised on the first production host of the first play that uses it: path → page. */
export async function roleReferences(): Promise<Map<string, string>> {
  const inventory = loadInventory(inventorySpec, "production");
  const scratch = mkdtempSync(join(tmpdir(), "role-reference-"));
  try {
    const synthesise = await openSynthesis(inventory, scratch);
    const pages = new Map<string, string>();
    for (const play of site.plays) {
      for (const use of roleUses(play)) {
        if (pages.has(join(ROLES_DIR, use.role.name, "README.md"))) continue;
        const host = playTargets(play, inventory)[0]!;
        const work = synthesise({ ...play, roles: [use] }, host.name);
        pages.set(
          join(ROLES_DIR, use.role.name, "README.md"),
          roleReference(use.role, {
            summary: summaryOf(use.role),
            synthesisedFor: `production host ${host.name} in the site's play "${play.name}" (Debian 12, the production vars of hosts.ts)`,
            resources: work.resources.map((resource) => ({
              id: resource.id.replace(RELEASE_NAME, "r-<build hash>"),
              notify: resource.notify,
            })),
            handlers: work.handlers.map((handler) => ({ name: handler.name, id: handler.resource.id })),
          }),
        );
      }
    }
    return pages;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What reference.ts takes: --check (exit 2 when a page is stale, writing nothing); it synthesises production only. */
export const REFERENCE_COMMAND: CommandOptions = {
  name: "reference.ts",
  honours: ["check"],
  refusal:
    "reference.ts writes roles/*/README.md and docs/cli.md from the code and the production vars of hosts.ts; it connects nowhere",
};

/** reference.ts --help. */
export const REFERENCE_HELP = `Usage: npx tsx playbooks/reference.ts [--check]     (or bin/foobar-infra reference …)

Writes roles/<name>/README.md for every role of site.ts, from its declaration and a synthesis on a production host,
and docs/cli.md, the CLI reference, from each command's --help and the shared options it takes.
  -C, --check                write nothing; exit 2 when a page is stale, naming it
  -h, --help                 this text
Exit codes: 0 current (or written), 2 --check found a stale page, 4 invalid input.`;

/** What bin/foobar-infra --help prints (the launcher is plain JavaScript: it is run, not imported). */
function launcherHelp(): string {
  return execFileSync(process.execPath, [join(REPO_ROOT, "bin", "foobar-infra"), "--help"], { encoding: "utf8" });
}

/** docs/cli.md: the launcher and every command of playbooks/, each with its --help and the shared options it takes. */
export function cliReferencePage(): string {
  return cliReference({
    launcherHelp: launcherHelp(),
    commands: [
      { name: "site.ts", help: playbookHelp(site.name), options: [{ ...PLAYBOOK_RUN, name: "site.ts" }] },
      { name: "deploy.ts", help: DEPLOY_HELP, options: [DEPLOY_COMMAND] },
      { name: "failover.ts", help: FAILOVER_HELP, options: [FAILOVER_COMMAND] },
      { name: "drift.ts", help: DRIFT_HELP, options: [DRIFT_COMMAND] },
      {
        name: "secrets.ts",
        help: secretsHelp(IDENTITY_FILE_SHOWN),
        options: SECRETS_COMMANDS.map((command) => secretsCommandOptions(command)),
      },
      { name: "graph.ts", help: GRAPH_HELP, options: [GRAPH_COMMAND] },
      { name: "runs.ts", help: RUNS_HELP, options: [RUNS_COMMAND] },
      { name: "report.ts", help: REPORT_HELP, options: [REPORT_COMMAND] },
      { name: "reference.ts", help: REFERENCE_HELP, options: [REFERENCE_COMMAND] },
    ],
  });
}

/** Write (or with --check, compare) every role's reference page and the CLI reference; the exit code. */
export async function reference(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, REFERENCE_COMMAND);
  if (cli.help) {
    console.log(REFERENCE_HELP);
    return 0;
  }
  const pages = new Map([...(await roleReferences()), [CLI_REFERENCE_FILE, cliReferencePage()]]);
  const stale: string[] = [];
  for (const [path, page] of pages) {
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === page) continue;
    stale.push(path);
    if (!cli.check) writeFileSync(path, page);
  }
  if (cli.check && stale.length) {
    console.error(
      `stale references (run npx tsx playbooks/reference.ts):\n${stale.map((path) => `  ${path}`).join("\n")}`,
    );
    return 2;
  }
  if (!cli.check)
    console.log(stale.length ? `wrote ${stale.join(", ")}` : "role references and the CLI reference are current");
  return 0;
}

if (isMain(import.meta.url)) exitWith(reference());
