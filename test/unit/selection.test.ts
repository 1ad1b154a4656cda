// A run's selection is checked before any connection: a limit, tag or var namespace that names nothing is exit 4.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { InputError } from "../../lib/errors.ts";
import { fakeInventory, kv, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";
import type { RunOptions } from "../../lib/runner/run-options.ts";

const web = defineRole({
  name: "web",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => [kv("page", "1", { tags: ["content"] })],
  tags: ["content"],
});
const book = definePlaybook("t", [
  { name: "web", hosts: "web", roles: [web] },
  { name: "everything", hosts: "all_fake", roles: [thirtyKeys] },
]);
const NAMES = ["web-1", "web-2", "db-1"];

/** The run's input error (and that no host was reached), or undefined when it ran. */
async function refusal(options: Partial<RunOptions>, inventory = fakeInventory(NAMES)) {
  const hosts = newHosts(NAMES);
  const result = await runFake(book, inventory, hosts, options).then(
    () => undefined,
    (error: unknown) => error,
  );
  const reached = Object.values(hosts).some((host) => host.actions.length > 0);
  return { error: result as InputError | undefined, reached };
}

test("a limit whose exclusions remove every host it names is exit 4, not a run of nothing", async () => {
  const { error, reached } = await refusal({ limit: "web-*,!web-*" });
  assert.instance(error, InputError);
  assert.match(error!.message, /--limit "web-\*,!web-\*" selects no host of inventory test/);
  assert.not.ok(reached);
});

test("a tag no role of the playbook carries is exit 4 with the closest tag; one that selects nothing on the limit too", async () => {
  const misspelt = await refusal({ tags: ["contnet"] });
  assert.instance(misspelt.error, InputError);
  assert.match(misspelt.error!.message, /--tags: no role of t has tag "contnet"; did you mean "content"\?/);
  const skip = await refusal({ skipTags: ["thirtyy"] });
  assert.match(skip.error!.message, /--skip-tags: no role of t has tag "thirtyy"; did you mean "thirty"\?/);
  const elsewhere = await refusal({ tags: ["content"], limit: "db-1" });
  assert.match(elsewhere.error!.message, /--tags content selects nothing on the hosts of --limit "db-1"/);
  assert.not.ok(misspelt.reached || skip.reached || elsewhere.reached);
  assert.is(
    (await refusal({ tags: ["content"], limit: "web-1" })).error,
    undefined,
    "a tag the limited hosts carry runs",
  );
});

test("a resource tag its role does not declare is an input error naming host, role and resource", async () => {
  const sly = defineRole({
    name: "sly",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("k", "v", { tags: ["hidden"] })],
  });
  const hosts = newHosts(["web-1"]);
  const error = await runFake(
    definePlaybook("s", [{ name: "p", hosts: "web", roles: [sly] }]),
    fakeInventory(["web-1"]),
    hosts,
  ).then(
    (result) => result.events,
    (thrown: Error) => thrown,
  );
  const text = JSON.stringify(error);
  assert.match(text, /role sly: kv:k has tag hidden, which the role does not declare/);
});

test("a var namespace that is no role is exit 4 with the closest role; one of another playbook's roles is fine", async () => {
  const misspelt = await refusal({}, fakeInventory(NAMES, { groupVars: { thirtyy: { a: 1 } } }));
  assert.instance(misspelt.error, InputError);
  assert.match(misspelt.error!.message, /vars "thirtyy" name no role; did you mean "thirty"\?/);
  assert.not.ok(misspelt.reached);
  const known = await refusal({ knownRoles: ["prometheus"] }, fakeInventory(NAMES, { vars: { prometheus: {} } }));
  assert.is(known.error, undefined, "a role of the repository that this playbook does not use");
});

test.run();
