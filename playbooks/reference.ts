// `npx tsx playbooks/reference.ts [--check]`: writes roles/<name>/README.md for every role of the site, from its declaration and a synthesis on a production host.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import inventorySpec from "../hosts.ts";
import { parseCli, type CommandOptions } from "../lib/cli/args.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith } from "../lib/cli/steps.ts";
import { roleReference } from "../lib/docs/role-reference.ts";
import { openSynthesis } from "../lib/docs/synthesis.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { roleUses } from "../lib/dsl/playbook.ts";
import type { Role } from "../lib/dsl/role.ts";
import { playTargets } from "../lib/runner/plan.ts";
import { site } from "./site.ts";

const ROLES_DIR = join(import.meta.dirname, "..", "roles");
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
    "reference.ts writes roles/*/README.md from the roles and the production vars of hosts.ts; it connects nowhere",
};

const REFERENCE_USAGE = `Usage: npx tsx playbooks/reference.ts [--check]     (or bin/foobar-infra reference …)

Writes roles/<name>/README.md for every role of site.ts, from its declaration and a synthesis on a production host.
  -C, --check                write nothing; exit 2 when a page is stale, naming it
  -h, --help                 this text
Exit codes: 0 current (or written), 2 --check found a stale page, 4 invalid input.`;

/** Write (or with --check, compare) every role's reference page; the exit code. */
export async function reference(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, REFERENCE_COMMAND);
  if (cli.help) {
    console.log(REFERENCE_USAGE);
    return 0;
  }
  const stale: string[] = [];
  for (const [path, page] of await roleReferences()) {
    const current = existsSync(path) ? readFileSync(path, "utf8") : "";
    if (current === page) continue;
    stale.push(path);
    if (!cli.check) writeFileSync(path, page);
  }
  if (cli.check && stale.length) {
    console.error(
      `stale role references (run npx tsx playbooks/reference.ts):\n${stale.map((path) => `  ${path}`).join("\n")}`,
    );
    return 2;
  }
  if (!cli.check) console.log(stale.length ? `wrote ${stale.join(", ")}` : "role references are current");
  return 0;
}

if (isMain(import.meta.url)) exitWith(reference());
