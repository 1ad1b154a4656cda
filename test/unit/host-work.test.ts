// buildHostWork: one play's resources on one host, each tagged with its role, and the author's mistakes it refuses as
// one input error naming host and play: tags the role does not declare, a resource described twice, an unknown handler.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import type { HostFacts } from "../../lib/facts/host.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { buildHostWork, planPlays, type Selection } from "../../lib/runner/plan.ts";
import { openSecretStore } from "../../lib/secrets/store.ts";
import { action, kv } from "./support/kv-host.ts";
import { scratchDir } from "./support/scratch.ts";

const inventory = loadInventory(
  defineInventory({
    environments: { test: { hosts: { "web-1": { address: "10.0.0.1" } }, groups: { web: { hosts: ["web-1"] } } } },
  }),
  "test",
);

/** buildHostWork for a play of the role whose tasks are `resources` on web-1; its InputError's problems if it throws. */
async function build(resources: Resource<any>[], selection: Selection = {}) {
  const role = defineRole({
    name: "site",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => resources,
    handlers: { "reload web": () => action("reload"), "restart web": () => action("restart") },
    tags: ["config"],
  });
  const secrets = await openSecretStore({
    file: inventory.secretsFile,
    repoRoot: scratchDir("host-work-"),
    environment: "test",
    generate: false,
  });
  const book = definePlaybook("work", [{ name: "p", hosts: "web-1", roles: [role] }]);
  const [hostPlay] = planPlays(book, inventory, new Set(["web-1"]), secrets)[0]!;
  try {
    return buildHostWork(hostPlay!, {} as HostFacts, inventory, selection, async () => {});
  } catch (error) {
    if (error instanceof InputError) return error.problems;
    throw error;
  }
}

test("resources carry their role's name as their first tag; the handlers come in definition order", async () => {
  const work = await build([
    kv("a", "1", { tags: ["config"] }),
    kv("b", "2", { tags: ["site"], notify: ["reload web"] }),
  ]);
  assert.ok(!Array.isArray(work), String(work));
  assert.equal(
    work.resources.map((resource) => [resource.id, resource.tags]),
    [
      ["kv:a", ["site", "config"]],
      ["kv:b", ["site", "site"]],
    ],
  );
  assert.equal(
    work.handlers.map((handler) => [handler.name, handler.resource.id]),
    [
      ["reload web", "do:reload"],
      ["restart web", "do:restart"],
    ],
  );
});

test("undeclared tags, a resource described twice and an unknown handler: every problem, naming host and play", async () => {
  const problems = await build([
    kv("a", "1", { tags: ["secret", "config", "hidden"] }),
    kv("a", "2"),
    kv("b", "3", { notify: ["reload web", "restart db"] }),
  ]);
  assert.equal(problems, [
    'host web-1, play "p", role site: kv:a has tag secret, hidden, which the role does not declare',
    'host web-1, play "p": kv:a is described twice',
    'host web-1, play "p": kv:b notifies unknown handler "restart db"',
  ]);
});

test("--skip-tags drops a resource any of whose tags it names; --tags keeps one any of whose tags it names", async () => {
  const resources = [kv("a", "1", { tags: ["config"] }), kv("b", "2")];
  const ids = async (selection: Selection) => {
    const work = await build(resources, selection);
    return Array.isArray(work) ? work : work.resources.map((resource) => resource.id);
  };
  assert.equal(await ids({ skipTags: ["config"] }), ["kv:b"]);
  assert.equal(await ids({ tags: ["config"] }), ["kv:a"]);
  assert.equal(await ids({ tags: ["site"], skipTags: [] }), ["kv:a", "kv:b"]);
});

test.run();
