// The lockout check after a firewall or sshd change: a login of its own from RunOptions.connectFresh on every path,
// never the run's connection (under --persist a kept OpenSSH master, where a "new" session would pass a lockout).
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Transport } from "../../lib/connection/transport.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { FakeLog } from "../../lib/testing/fake-transport.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const guarded = defineRole({
  name: "guarded",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ checkNewConnection }) => [
    { ...kv("rule", "on"), verify: checkNewConnection, rollback: () => "set rule off" },
  ],
});
const book = definePlaybook("guarded", [{ name: "g", hosts: "all_fake", roles: [guarded] }]);

/** A connector whose logins are counted, and whose transports answer `true` as `answer` says. */
function counted(names: string[], log: FakeLog, answer: number) {
  const logins: string[] = [];
  const fake = connectorFor(newHosts(names), log);
  const connect = async (host: { name: string }): Promise<Transport> => {
    logins.push(host.name);
    const transport = await fake(host);
    return {
      ...transport,
      exec: (command, options) =>
        command === "true"
          ? Promise.resolve({ code: answer, stdout: "", stderr: "" })
          : transport.exec(command, options),
    };
  };
  return { connect, logins };
}

test("the check logs in through connectFresh, once per verified change, never over the run's own connection", async () => {
  const log: FakeLog = { execs: [] };
  const kept = counted(["h1", "h2"], log, 0);
  const fresh = counted(["h1", "h2"], log, 0);
  const result = await runFake(
    book,
    fakeInventory(["h1", "h2"]),
    {},
    {
      connect: kept.connect,
      connectFresh: fresh.connect,
    },
  );
  assert.is(result.exitCode, 0);
  assert.equal(fresh.logins.sort(), ["h1", "h2"], "one fresh login per host, for its one verified change");
  assert.equal(kept.logins.sort(), ["h1", "h2"], "the run's own login, once per host");
});

test("a fresh login that fails rolls the change back even though the run's own connection still works", async () => {
  const log: FakeLog = { execs: [] };
  const kept = counted(["h1"], log, 0);
  const refused = counted(["h1"], log, 255);
  const result = await runFake(
    book,
    fakeInventory(["h1"]),
    {},
    { connect: kept.connect, connectFresh: refused.connect },
  );
  assert.is(result.exitCode, 1);
  assert.equal(refused.logins, ["h1"]);
  assert.ok(
    log.execs.some((exec) => exec.stdin.includes("set rule off") || exec.command.includes("set rule off")),
    "the rollback ran",
  );
});

test.run();
