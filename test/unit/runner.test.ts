// Engine behaviour with the fake transport: batching, re-probe, handlers, check mode, failures.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { action, fakeInventory, kv, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake, tasks } from "./support/run.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { scratchDir } from "./support/scratch.ts";

const playbook = definePlaybook("thirty", [{ name: "all", hosts: "all_fake", roles: [thirtyKeys] }]);

function execsPerHost(log: { execs: { host: string }[] }): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const exec of log.execs) counts[exec.host] = (counts[exec.host] ?? 0) + 1;
  return counts;
}

test("a converged 30-resource play costs exactly one exec per host", async () => {
  const names = ["h1", "h2", "h3"];
  const hosts = newHosts(names);
  const factsDir = scratchDir("facts-");
  const first = await runFake(playbook, fakeInventory(names), hosts, { factsDir });
  assert.is(first.exitCode, 0);
  assert.is(first.counts.h1!.changed, 30);
  const second = await runFake(playbook, fakeInventory(names), hosts, { factsDir });
  assert.is(second.exitCode, 0);
  assert.equal(execsPerHost(second.log), { h1: 1, h2: 1, h3: 1 });
  assert.is(second.counts.h2!.ok, 30);
  assert.is(second.counts.h2!.changed, 0);
});

test("after a change, the following resources are re-probed in the same exec as the apply", async () => {
  const hosts = newHosts(["h1"]);
  for (let index = 0; index < 30; index++) hosts.h1!.store.set(`k${index}`, `v${index}`);
  hosts.h1!.store.set("k10", "drifted");
  const factsDir = scratchDir("facts-");
  await runFake(playbook, fakeInventory(["h1"]), newHosts(["h1"]), { factsDir, check: true });
  const run = await runFake(playbook, fakeInventory(["h1"]), hosts, { factsDir });
  assert.is(run.counts.h1!.changed, 1);
  assert.is(run.log.execs.length, 2, "pre-probe + one apply carrying the re-probe");
  const applyScript = run.log.execs[1]!.stdin;
  assert.ok(applyScript.includes("set k10 drifted") === false && applyScript.includes("set k10 v10"));
  for (let index = 11; index < 30; index++) assert.ok(applyScript.includes(`get k${index}`), `k${index} re-probed`);
  assert.not.ok(applyScript.includes("get k9\n"), "earlier resources are not re-probed");
});

test("a re-probe sees what an earlier apply did", async () => {
  // "installer" sets k2 as a side effect, so k2 must not be applied again.
  const role = defineRole({
    name: "chain",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [{ ...kv("k1", "x"), apply: () => "set k2 y" } as ReturnType<typeof kv>, kv("k2", "y")],
  });
  const hosts = newHosts(["h1"]);
  const run = await runFake(
    definePlaybook("chain", [{ name: "p", hosts: "all_fake", roles: [role] }]),
    fakeInventory(["h1"]),
    hosts,
  );
  assert.equal(hosts.h1!.actions, ["set k2 y"]);
  assert.equal(
    tasks(run.events).map((event) => `${event.id}=${event.status}`),
    ["kv:k1=changed", "kv:k2=ok"],
  );
});

const withHandlers = defineRole({
  name: "svc",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => [
    kv("conf", "2", { notify: ["restart b"] }),
    kv("other", "1", { notify: ["restart b", "reload a"] }),
    kv("quiet", "q"),
  ],
  handlers: {
    "reload a": () => action("reload-a"),
    "restart b": () => action("restart-b"),
    never: () => action("never"),
  },
});
const handlerBook = definePlaybook("h", [{ name: "p", hosts: "all_fake", roles: [withHandlers] }]);

test("handlers run once, only when notified, in definition order, at the end", async () => {
  const hosts = newHosts(["h1"]);
  hosts.h1!.store.set("quiet", "q");
  const run = await runFake(handlerBook, fakeInventory(["h1"]), hosts);
  assert.equal(hosts.h1!.actions, ["set conf 2", "set other 1", "do reload-a", "do restart-b"]);
  const handlerEvents = tasks(run.events).filter((event) => event.handler);
  assert.equal(
    handlerEvents.map((event) => event.id),
    ["reload a", "restart b"],
  );
  const again = await runFake(handlerBook, fakeInventory(["h1"]), hosts);
  assert.is(again.counts.h1!.changed, 0);
  assert.is(hosts.h1!.actions.length, 4, "no handler when nothing changed");
});

test("a unit started from stopped after the changes that notified its restart is not restarted again; a later change still is", async () => {
  // kv "running" stands for the unit's state: the service resource starts it (fresh) when it is not "yes".
  const unit = (key: string) => ({
    ...kv(key, "yes"),
    keepsStarted: "app",
    startsFresh: (state: string | null) => state !== "yes",
  });
  const refresh = (name: string) => ({ ...action(name), refreshes: "app" });
  const role = (after: boolean) =>
    defineRole({
      name: "unit",
      dir: import.meta.dirname,
      schema: RoleVars({}),
      tasks: () => [
        kv("conf", "2", { notify: ["restart app"] }),
        unit("running"),
        ...(after ? [kv("late", "1", { notify: ["reload app"] })] : []),
      ],
      handlers: { "restart app": () => refresh("restart-app"), "reload app": () => refresh("reload-app") },
    });
  const book = (after: boolean) => definePlaybook("unit", [{ name: "p", hosts: "all_fake", roles: [role(after)] }]);
  const fresh = newHosts(["h1"]);
  await runFake(book(false), fakeInventory(["h1"]), fresh);
  assert.equal(fresh.h1!.actions, ["set conf 2", "set running yes"], "the start read the new conf: no restart");
  const late = newHosts(["h1"]);
  await runFake(book(true), fakeInventory(["h1"]), late);
  assert.equal(
    late.h1!.actions,
    ["set conf 2", "set running yes", "set late 1", "do reload-app"],
    "notified after the start: runs",
  );
  const running = newHosts(["h1"]);
  running.h1!.store.set("running", "yes");
  await runFake(book(false), fakeInventory(["h1"]), running);
  assert.equal(
    running.h1!.actions,
    ["set conf 2", "do restart-app"],
    "already running: the restart is what applies the change",
  );
});

test("a failure after a change still runs that change's handler, and the host is reported failed", async () => {
  const role = defineRole({
    name: "half",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [
      kv("conf", "2", { notify: ["reload a"] }),
      { ...kv("next", "1", { notify: ["restart b"] }), apply: () => "fail bad-config" },
    ],
    handlers: { "reload a": () => action("reload-a"), "restart b": () => action("restart-b") },
  });
  const hosts = newHosts(["h1"]);
  const run = await runFake(
    definePlaybook("half", [{ name: "p", hosts: "all_fake", roles: [role] }]),
    fakeInventory(["h1"]),
    hosts,
  );
  assert.is(run.exitCode, 1);
  assert.equal(
    hosts.h1!.actions,
    ["set conf 2", "fail bad-config", "do reload-a"],
    "the written config is reloaded; the failed task notifies nothing",
  );
  assert.equal(
    tasks(run.events, "failed").map((event) => event.id),
    ["kv:next"],
  );
});

test("check mode applies nothing, reports what would change and exits 2", async () => {
  const hosts = newHosts(["h1"]);
  const run = await runFake(handlerBook, fakeInventory(["h1"]), hosts, { check: true });
  assert.is(run.exitCode, 2);
  assert.equal(hosts.h1!.actions, []);
  assert.ok(
    run.log.execs.every((exec) => !exec.stdin.includes("set -e")),
    "no apply step was sent",
  );
  assert.is(tasks(run.events, "changed").filter((event) => !event.handler).length, 3);
  hosts.h1!.store.set("conf", "2").set("other", "1").set("quiet", "q");
  const clean = await runFake(handlerBook, fakeInventory(["h1"]), hosts, { check: true });
  assert.is(clean.exitCode, 0);
});

test("check mode exits 2 when one host of two would change", async () => {
  const hosts = newHosts(["h1", "h2"]);
  hosts.h1!.store.set("conf", "2").set("other", "1").set("quiet", "q");
  const run = await runFake(handlerBook, fakeInventory(["h1", "h2"]), hosts, { check: true });
  assert.equal([run.counts.h1!.changed, run.counts.h2!.changed > 0], [0, true]);
  assert.is(run.exitCode, 2);
});

test("a failed task stops its host, other hosts go on, exit 1", async () => {
  const role = defineRole({
    name: "failing",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: ({ host }) => [
      host.name === "h1" ? { ...kv("a", "1"), apply: () => "fail disk-full" } : kv("a", "1"),
      kv("b", "2"),
    ],
  });
  const hosts = newHosts(["h1", "h2"]);
  const run = await runFake(
    definePlaybook("f", [
      { name: "p", hosts: "all_fake", roles: [role] },
      { name: "q", hosts: "all_fake", roles: [thirtyKeys] },
    ]),
    fakeInventory(["h1", "h2"]),
    hosts,
  );
  assert.is(run.exitCode, 1);
  const failed = tasks(run.events, "failed");
  assert.is(failed.length, 1);
  assert.match(failed[0]!.message!, /boom: disk-full/);
  assert.not.ok(hosts.h1!.store.has("b"), "the failed host stopped");
  assert.not.ok(hosts.h1!.store.has("k0"), "the failed host is left out of later plays");
  assert.is(hosts.h2!.store.get("k29"), "v29");
});

test("an unreachable host is reported, the others converge, exit 3", async () => {
  const hosts = newHosts(["h1", "h2", "h3"]);
  const run = await runFake(playbook, fakeInventory(["h1", "h2", "h3"]), hosts, {
    fake: { h2: { unreachable: true } },
  });
  assert.is(run.exitCode, 3);
  assert.is(run.counts.h2!.unreachable, 1);
  assert.is(hosts.h1!.store.get("k29"), "v29");
  assert.is(hosts.h3!.store.get("k29"), "v29");
  const event = run.events.find((item) => item.type === "unreachable");
  assert.match((event as { message: string }).message, /h2/);
});

test("--tags and --skip-tags select resources; role names are tags", async () => {
  const tagged = defineRole({
    name: "tagged",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("a", "1", { tags: ["alpha"] }), kv("b", "2", { tags: ["beta"] })],
    tags: ["alpha", "beta"],
  });
  const book = definePlaybook("t", [{ name: "p", hosts: "all_fake", roles: [tagged, thirtyKeys] }]);
  const hosts = newHosts(["h1"]);
  await runFake(book, fakeInventory(["h1"]), hosts, { tags: ["alpha"] });
  assert.equal([...hosts.h1!.store.keys()], ["a"]);
  const fresh = newHosts(["h1"]);
  await runFake(book, fakeInventory(["h1"]), fresh, { skipTags: ["thirty", "alpha"] });
  assert.equal([...fresh.h1!.store.keys()], ["b"], "a resource goes when any one of its tags is skipped");
});

test("--limit narrows hosts by name, group and glob", async () => {
  const hosts = newHosts(["web-1", "web-2", "db-1"]);
  await runFake(playbook, fakeInventory(["web-1", "web-2", "db-1"]), hosts, { limit: "db-*,web-2" });
  assert.is(hosts["web-1"]!.actions.length, 0);
  assert.is(hosts["web-2"]!.actions.length, 30);
  assert.is(hosts["db-1"]!.actions.length, 30);
});

test("serial: 1 converges hosts one after the other and leaves the rest alone after a failure", async () => {
  const role = defineRole({
    name: "rolling",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("release", "v2")],
  });
  const serialBook = definePlaybook("rolling", [{ name: "web", hosts: "all_fake", roles: [role], serial: 1 }]);
  const names = ["h1", "h2", "h3"];
  const ok = await runFake(serialBook, fakeInventory(names), newHosts(names));
  assert.is(ok.exitCode, 0);
  const applyOrder = ok.log.execs.filter((exec) => exec.stdin.includes("set release")).map((exec) => exec.host);
  assert.equal(applyOrder, names);

  const hosts = newHosts(names);
  const failing = defineRole({
    ...role,
    name: "failing",
    tasks: ({ host }) => [
      host.name === "h1" ? { ...kv("release", "v2"), apply: () => "fail release" } : kv("release", "v2"),
    ],
  });
  const broken = definePlaybook("rolling", [{ name: "web", hosts: "all_fake", roles: [failing], serial: 1 }]);
  const failingRun = await runFake(broken, fakeInventory(names), hosts);
  assert.is(failingRun.exitCode, 1);
  assert.equal(hosts.h2!.store.get("release"), undefined, "h2 untouched after h1 failed");
  assert.equal(
    tasks(failingRun.events, "skipped").map((event) => event.host),
    ["h2", "h3"],
  );
});

test.run();
