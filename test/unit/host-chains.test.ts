// Hosts through their plays (lib/runner/host-chains.ts): the pre-probe kept while nothing changed, one play event per
// play, what a need that did not complete skips and why, a host that failed going no further, serial plays.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { UnreachableError, type ExecOptions, type Transport } from "../../lib/connection/transport.ts";
import { definePlaybook, type Play } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { connectorFor, fakeInventory, kv, newHosts, type KvHost } from "./support/kv-host.ts";
import { recorder, runFake, tasks } from "./support/run.ts";

/** A resource whose apply fails on the host ("boom: KEY"). */
const failing = (key: string): Resource<string | null> => ({ ...kv(key, "1"), apply: () => `fail ${key}` });
const role = (name: string, task: () => Resource<string | null>) =>
  defineRole({ name, dir: import.meta.dirname, schema: RoleVars({}), tasks: () => [task()] });
/** A play of one resource: kv KEY=1, or a failing apply when KEY starts with "fail". */
const play = (name: string, hosts: string, key: string, extra: Partial<Play> = {}): Play => ({
  name,
  hosts,
  roles: [role(`r_${name}`, () => (key.startsWith("fail") ? failing(key) : kv(key, "1")))],
  ...extra,
});
const skips = (events: RunEvent[]) =>
  tasks(events, "skipped").map(({ play, host, id, message, durationMs }) => ({ play, host, id, message, durationMs }));
/** Hosts with `keys` set already (those plays are no-ops there). */
const hostsWith = (names: string[], keys: string[]) => {
  const hosts = newHosts(names);
  for (const host of Object.values(hosts)) for (const key of keys) host.store.set(key, "1");
  return hosts;
};
/** Whether an exec applies `key`. */
const applies = (options: ExecOptions | undefined, key: string) =>
  options?.plan?.sections.some((section) => "step" in section && section.step.script.startsWith(`set ${key} `)) ??
  false;

test("the run's pre-probe serves every play while all converge: two execs a host (facts, pre-probe); a change, or any other outcome, makes the next play probe again; --check keeps it", async () => {
  const book = definePlaybook("b", [play("a", "all_fake", "x"), play("b", "all_fake", "y")]);
  const noOp = await runFake(book, fakeInventory(["h1"]), hostsWith(["h1"], ["x", "y"]));
  assert.is(noOp.exitCode, 0);
  assert.is(noOp.log.execs.length, 2);
  const changedHosts = hostsWith(["h1"], ["y"]);
  const changed = await runFake(book, fakeInventory(["h1"]), changedHosts);
  assert.is(changed.log.execs.length, 4, "facts, pre-probe, the apply of x, the probe of play b");
  assert.equal(changedHosts.h1!.actions, ["set x 1"], "play b's probe carries no step");
  const check = await runFake(book, fakeInventory(["h1"]), newHosts(["h1"]), { check: true });
  assert.is(check.exitCode, 2);
  assert.is(check.log.execs.length, 2, "--check applies nothing, so the pre-probe still holds for play b");
});

test("one play event per play, naming the hosts still in the run when it starts", async () => {
  const book = definePlaybook("b", [play("a", "all_fake", "x"), play("b", "all_fake", "y")]);
  const names = ["h1", "h2", "h3"];
  const run = await runFake(book, fakeInventory(names), newHosts(names), { fake: { h2: { unreachable: true } } });
  assert.equal(
    run.events.filter((event) => event.type === "play"),
    [
      { type: "play", play: "a", hosts: ["h1", "h3"] },
      { type: "play", play: "b", hosts: ["h1", "h3"] },
    ],
  );
});

test("a need that failed, or was skipped, skips the plays that name it: a task 'play' naming the play, the host and its outcome", async () => {
  const book = definePlaybook("b", [
    play("a", "h1", "fail-a"),
    play("b", "h2", "y", { needs: ["a"] }),
    play("c", "h3", "z", { needs: ["b"] }),
  ]);
  const names = ["h1", "h2", "h3"];
  const hosts = newHosts(names);
  const run = await runFake(book, fakeInventory(names), hosts);
  assert.equal(skips(run.events), [
    {
      play: "b",
      host: "h2",
      id: "play",
      message: 'needs play "a", which did not complete on h1 (failed)',
      durationMs: 0,
    },
    {
      play: "c",
      host: "h3",
      id: "play",
      message: 'needs play "b", which did not complete on h2 (skipped)',
      durationMs: 0,
    },
  ]);
  assert.equal([hosts.h2!.actions, hosts.h3!.actions], [[], []]);
});

test("a host whose play failed goes no further: its later plays neither run nor report", async () => {
  const book = definePlaybook("b", [play("a", "all_fake", "fail-a"), play("b", "all_fake", "y")]);
  const hosts = newHosts(["h1"]);
  const run = await runFake(book, fakeInventory(["h1"]), hosts);
  assert.is(run.exitCode, 1);
  assert.equal(hosts.h1!.actions, ["fail fail-a"]);
  assert.equal(
    run.events.filter((event) => "play" in event && event.play === "b"),
    [],
  );
});

test("a play is done once every host of it has an outcome: a play that needs it sees the last host's failure", async () => {
  const book = definePlaybook("b", [play("a", "web", "fail-a"), play("b", "h3", "y", { needs: ["a"] })]);
  const names = ["h1", "h2", "h3"];
  const hosts = newHosts(names);
  hosts.h1!.store.set("fail-a", "1");
  // h2's apply of play a waits until h1 has ended play a (a no-op there), so h2's failure comes last.
  let releaseH2 = () => {};
  const h1Done = new Promise<void>((resolve) => (releaseH2 = resolve));
  const reporter = recorder();
  const connect = connectorFor(hosts, { execs: [] });
  const run = await runFake(book, fakeInventory(names), hosts, {
    reporter: {
      ...reporter,
      emit(event) {
        reporter.emit(event);
        if (event.type === "host-play" && event.play === "a" && event.host === "h1") releaseH2();
      },
    },
    connect: async (host: { name: string }): Promise<Transport> => {
      const transport = await connect(host);
      const exec: Transport["exec"] = async (command, options) => {
        if (host.name === "h2" && applies(options, "fail-a")) await h1Done;
        return transport.exec(command, options);
      };
      return { ...transport, exec };
    },
  });
  assert.is(run.exitCode, 1);
  assert.equal(skips(reporter.events), [
    {
      play: "b",
      host: "h3",
      id: "play",
      message: 'needs play "a", which did not complete on h2 (failed)',
      durationMs: 0,
    },
  ]);
  assert.equal(hosts.h3!.actions, []);
});

test("a play with no host in the run is done at once: the plays after it run", async () => {
  const book = definePlaybook("b", [play("a", "h2", "x"), play("b", "h1", "y")]);
  const hosts = newHosts(["h1", "h2"]);
  const run = await runFake(book, fakeInventory(["h1", "h2"]), hosts, { limit: "h1" });
  assert.is(run.exitCode, 0);
  assert.equal([hosts.h1!.actions, hosts.h2!.actions], [["set y 1"], []]);
});

test("serial: every host runs the play while each converges or changes; after the first that fails, the rest skip it; without serial a failure stops no other host", async () => {
  const names = ["h1", "h2", "h3"];
  const serial = definePlaybook("b", [play("a", "all_fake", "x", { serial: 1 })]);
  const hosts = newHosts(names);
  hosts.h1!.store.set("x", "1");
  const passing = await runFake(serial, fakeInventory(names), hosts);
  assert.is(passing.exitCode, 0);
  assert.equal(
    names.map((name) => hosts[name]!.store.get("x")),
    ["1", "1", "1"],
  );
  assert.equal(skips(passing.events), []);

  const failingSerial = definePlaybook("b", [play("a", "all_fake", "fail-a", { serial: 1 })]);
  const stopped = await runFake(failingSerial, fakeInventory(names), newHosts(names));
  assert.equal(
    skips(stopped.events).map(({ host, message }) => [host, message]),
    [
      ["h2", "an earlier host of this serial play failed"],
      ["h3", "an earlier host of this serial play failed"],
    ],
  );

  const plain = definePlaybook("b", [play("a", "all_fake", "fail-a")]);
  const plainHosts = newHosts(names);
  const unstopped = await runFake(plain, fakeInventory(names), plainHosts, { forks: 1 });
  assert.equal(
    names.map((name) => plainHosts[name]!.actions),
    [["fail fail-a"], ["fail fail-a"], ["fail fail-a"]],
  );
  assert.equal(skips(unstopped.events), []);
});

/** The fake hosts, but h1's exec that applies x throws `error` (a connection lost, a transport bug). */
function connectThrowing(hosts: Record<string, KvHost>, error: Error) {
  const connect = connectorFor(hosts, { execs: [] });
  return async (host: { name: string }): Promise<Transport> => {
    const transport = await connect(host);
    const exec: Transport["exec"] = async (command, options) => {
      if (host.name === "h1" && applies(options, "x")) throw error;
      return transport.exec(command, options);
    };
    return { ...transport, exec };
  };
}

test("an error thrown while a host works on a play: unreachable (exit 3) when its connection was lost, failed (exit 1) otherwise, and the plays that need it say which", async () => {
  const book = definePlaybook("b", [play("a", "h1", "x"), play("b", "h2", "y", { needs: ["a"] })]);
  for (const [error, outcome, exitCode] of [
    [new UnreachableError("h1", "connection lost (fake)"), "unreachable", 3],
    [new Error("transport bug (fake)"), "failed", 1],
  ] as const) {
    const hosts = newHosts(["h1", "h2"]);
    const run = await runFake(book, fakeInventory(["h1", "h2"]), hosts, { connect: connectThrowing(hosts, error) });
    assert.is(run.exitCode, exitCode);
    assert.equal(
      skips(run.events).map((skip) => skip.message),
      [`needs play "a", which did not complete on h1 (${outcome})`],
    );
    assert.equal(hosts.h2!.actions, []);
  }
});

test("a host whose play failed records its later plays as failed: a play that needs one of them names it", async () => {
  const book = definePlaybook("b", [
    play("a", "h1", "fail-a"),
    play("b", "h1", "y"),
    play("c", "h2", "z", { needs: ["b"] }),
  ]);
  const hosts = newHosts(["h1", "h2"]);
  const run = await runFake(book, fakeInventory(["h1", "h2"]), hosts);
  assert.equal(
    skips(run.events).map((skip) => skip.message),
    ['needs play "b", which did not complete on h1 (failed)'],
  );
  assert.equal(hosts.h2!.actions, []);
});

test("a host failed by an error skips its later plays as failed: a play that needs one of them names it", async () => {
  const book = definePlaybook("b", [
    play("a", "h1", "x"),
    play("b", "h1", "y"),
    play("c", "h2", "z", { needs: ["b"] }),
  ]);
  const hosts = newHosts(["h1", "h2"]);
  const run = await runFake(book, fakeInventory(["h1", "h2"]), hosts, {
    connect: connectThrowing(hosts, new Error("transport bug (fake)")),
  });
  assert.equal(
    skips(run.events).map((skip) => skip.message),
    ['needs play "b", which did not complete on h1 (failed)'],
  );
  assert.equal([hosts.h1!.actions, hosts.h2!.actions], [[], []]);
});

test.run();
