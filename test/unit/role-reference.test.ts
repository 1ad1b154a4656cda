// Role references: each roles/<name>/README.md is the page generated from the role's declaration, and the page says what the declaration says.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { roleReference } from "../../lib/docs/role-reference.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { Formatted, Matching, OneOf, Port, RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { roleReferences } from "../../playbooks/reference.ts";

const ROLES = join(import.meta.dirname, "../../roles");

test("every role folder with an index.ts has a current generated README.md", async () => {
  const pages = await roleReferences();
  const roles = readdirSync(ROLES).filter((name) => existsSync(join(ROLES, name, "index.ts")));
  assert.equal(
    [...pages.keys()].map((path) => path.split("/").at(-2)).sort(),
    roles.sort(),
    "the site playbook uses every role",
  );
  for (const [path, page] of pages) {
    assert.ok(existsSync(path), `${path} missing: run npx tsx playbooks/reference.ts`);
    assert.ok(readFileSync(path, "utf8") === page, `${path} is stale: run npx tsx playbooks/reference.ts`);
  }
});

test("a page lists each var with its type, default or required, rule and description; resources and handlers", () => {
  const role = defineRole({
    name: "sample",
    dir: join(ROLES, "nginx"),
    schema: RoleVars({
      port: Port({ default: 8080, description: "Where it listens." }),
      mode: OneOf(["fast", "safe"], { default: "safe", description: "How it runs." }),
      peer: Formatted("ipv4", { description: "The other host." }),
      size: Matching("^[0-9]+[km]$", "a size such as 4k", { default: "1m", description: "Buffer | size." }),
      token: SecretVar({ description: "API token." }),
      note: Type.Optional(Type.String({ description: "Free text." })),
    }),
    tasks: () => [],
  });
  const page = roleReference(role, {
    summary: "Role sample: a test.",
    synthesisedFor: "host x",
    resources: [{ id: "file:/etc/x", notify: ["reload x"] }],
    handlers: [{ name: "reload x", id: "service:x:reloaded" }],
  });
  assert.ok(page.includes("| `port` | integer | `8080` | 1–65535 | Where it listens. |"), page);
  assert.ok(page.includes('| `mode` | one of `fast`, `safe` | `"safe"` |  | How it runs. |'), page);
  assert.ok(page.includes("| `peer` | string | **required** | an IPv4 address | The other host. |"), page);
  assert.ok(page.includes('| `size` | string | `"1m"` | a size such as 4k | Buffer \\| size. |'), page);
  assert.ok(page.includes("| `token` | secret | **required** |  | API token. |"), page);
  assert.ok(page.includes("| `note` | string | unset |  | Free text. |"), page);
  assert.ok(page.includes("| `file:/etc/x` | reload x |"), page);
  assert.ok(page.includes("- **reload x**: `service:x:reloaded`"), page);
});

test.run();
