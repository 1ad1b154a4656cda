// An apply whose exec fails as a whole (--timeout kills it, the shell is cut short) is that resource's failure: named by
// its id and the exec's error, and the handlers of the changes before it still run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ExecOptions } from "../../lib/connection/transport.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { FakeLog } from "../../lib/testing/fake-transport.ts";
import { action, connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake, tasks } from "./support/run.ts";

const role = defineRole({
  name: "slow",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => [kv("conf", "2", { notify: ["reload"] }), kv("slow", "1"), kv("after", "1")],
  handlers: { reload: () => action("reload") },
});
const playbook = definePlaybook("slow", [{ name: "p", hosts: "all_fake", roles: [role] }]);

/** Whether an exec applies `key` (one of its steps sets it). */
const applies = (options: ExecOptions, key: string) =>
  options.plan?.sections.some((section) => "step" in section && section.step.script.startsWith(`set ${key} `)) ?? false;

/** The fake hosts, but an exec that applies "slow" ends as a timed-out one does (code null, what the transports return). */
function connectorWithTimeout(hosts: ReturnType<typeof newHosts>, log: FakeLog) {
  const connect = connectorFor(hosts, log);
  return async (host: { name: string }) => {
    const transport = await connect(host);
    return {
      ...transport,
      exec: (command: string, options: ExecOptions = {}) =>
        applies(options, "slow")
          ? Promise.resolve({ stdout: "", stderr: "", code: null })
          : transport.exec(command, options),
    };
  };
}

test("an apply whose exec times out fails that resource with 'command timed out after N ms'; earlier changes' handlers still run, later resources are left", async () => {
  const hosts = newHosts(["h1"]);
  const log: FakeLog = { execs: [] };
  const run = await runFake(playbook, fakeInventory(["h1"]), hosts, {
    connect: connectorWithTimeout(hosts, log),
    timeoutSeconds: 3,
  });
  assert.is(run.exitCode, 1);
  const failed = tasks(run.events, "failed");
  assert.equal(
    failed.map((event) => [event.id, event.message]),
    [["kv:slow", "command timed out after 3000 ms"]],
  );
  assert.equal(failed[0]!.changes, [{ summary: "slow (unset) -> 1" }], "what it was changing is reported with it");
  assert.equal(hosts.h1!.actions, ["set conf 2", "do reload"], "the changed conf is reloaded; after is not applied");
  assert.equal(run.counts.h1, { ok: 0, changed: 2, failed: 1, unreachable: 0, skipped: 0 });
});

test.run();
