// `npx tsx playbooks/reference.ts [--check]`: writes roles/<name>/README.md for every role of the site, from its declaration and a synthesis on a production host.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import inventorySpec from "../hosts.ts";
import { isMain } from "../lib/cli/main.ts";
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

if (isMain(import.meta.url)) {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  const stale: string[] = [];
  for (const [path, page] of await roleReferences()) {
    let current = "";
    try {
      current = readFileSync(path, "utf8");
    } catch {}
    if (current === page) continue;
    stale.push(path);
    if (!values.check) writeFileSync(path, page);
  }
  if (values.check && stale.length) {
    process.stderr.write(
      `stale role references (run npx tsx playbooks/reference.ts):\n${stale.map((path) => `  ${path}\n`).join("")}`,
    );
    process.exit(1);
  }
  if (!values.check)
    process.stdout.write(stale.length ? `wrote ${stale.join(", ")}\n` : "role references are current\n");
}
