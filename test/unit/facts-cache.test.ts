// Facts cached by an earlier run: a role that refuses them (a host rebuilt with another address) gets fresh ones.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { debianFacts } from "../../lib/facts/debian-facts.ts";
import { fakeInventory, kv, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";
import { scratchDir } from "./support/scratch.ts";

/** Like keepalived's: the host's work names the interface holding 10.9.0.1, and no such interface is an input error. */
const boundToAddress = defineRole({
  name: "bound",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ facts }) => {
    const own = facts.interfaces.find((entry) => entry.address === "10.9.0.1");
    if (!own) throw new Error(`no interface holds 10.9.0.1 (found ${facts.addresses.join(", ")})`);
    return [kv("device", own.device)];
  },
});
const playbook = definePlaybook("bound", [{ name: "bound", hosts: "all_fake", roles: [boundToAddress] }]);
const onAddress = (address: string) => ({ h1: { factsOutput: debianFacts("h1", address) } });

const other = definePlaybook("other", [{ name: "other", hosts: "all_fake", roles: [thirtyKeys] }]);

test("facts cached from the host's old address are gathered again before a role refuses them", async () => {
  const factsDir = scratchDir("facts-");
  const hosts = newHosts(["h1"]);
  const before = await runFake(other, fakeInventory(["h1"]), hosts, { factsDir, fake: onAddress("10.8.0.1") });
  assert.is(before.exitCode, 0, "an earlier run cached the facts of the host on 10.8.0.1");
  const after = await runFake(playbook, fakeInventory(["h1"]), hosts, { factsDir, fake: onAddress("10.9.0.1") });
  assert.is(after.exitCode, 0);
  assert.is(hosts.h1!.store.get("device"), "eth0");
});

test("fresh facts a role refuses are the run's input error naming the host, nothing applied", async () => {
  const hosts = newHosts(["h1"]);
  const options = { factsDir: scratchDir("facts-"), fake: onAddress("10.8.0.1") };
  const refusal = await runFake(playbook, fakeInventory(["h1"]), hosts, options).then(
    () => "no error",
    (error: Error) => `${error.constructor.name}: ${error.message}`,
  );
  assert.match(refusal, /^InputError: .*host h1.*no interface holds 10\.9\.0\.1 \(found 10\.8\.0\.1\)/s);
  assert.equal(hosts.h1!.actions, []);
});

test.run();
