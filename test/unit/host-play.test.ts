// One play on one host (lib/runner/host-play.ts) with the fake transport: failures and their messages, verify and
// rollback, handlers (run, failed, made needless by a fresh start, --check), the converge lock's wait, task times.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { ExecOptions, Transport } from "../../lib/connection/transport.ts";
import { shellProbe } from "../../lib/facts/probe.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { fakeConnector, shellOf, type FakeHostOptions, type FakeLog } from "../../lib/testing/fake-transport.ts";
import { action, connectorFor, fakeInventory, kv, kvHandler, newHosts, type KvHost } from "./support/kv-host.ts";
import { runFake, tasks } from "./support/run.ts";

type AnyResource = Resource<any>;
/**
 * A playbook of play "p" (these tasks and handlers) and play "later" (kv after=1), on all_fake: whether "later" ran
 * on a host tells whether play "p" failed there.
 */
function book(taskList: () => AnyResource[], handlers: Record<string, () => AnyResource> = {}) {
  const role = defineRole({
    name: "subject",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: taskList,
    handlers,
  });
  const later = defineRole({
    name: "later",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("after", "1")],
  });
  return definePlaybook("b", [
    { name: "p", hosts: "all_fake", roles: [role] },
    { name: "later", hosts: "all_fake", roles: [later] },
  ]);
}
const reached = (host: KvHost) => host.actions.includes("set after 1");
const outcome = (events: ReturnType<typeof tasks>) =>
  events.map(({ id, status, message, changes, handler }) => ({ id, status, message, changes, handler }));
/** Task events of play "p", without their times. */
const playTasks = (run: Awaited<ReturnType<typeof runFake>>) =>
  outcome(tasks(run.events).filter((event) => event.play === "p"));
const task = (id: string, status: string, extra: { message?: string; changes?: unknown; handler?: boolean } = {}) => ({
  id,
  status,
  message: extra.message,
  changes: extra.changes,
  handler: extra.handler,
});
/** A resource: KEY must be 1; apply, verify and rollback as given. */
const withKey = (key: string, extra: Partial<Resource<string | null>>): AnyResource => ({ ...kv(key, "1"), ...extra });

test("a failed step's message is the last 15 lines of its output, trimmed, or '(no output)'; the host's later plays do not run", async () => {
  const lines = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);
  const hosts = newHosts(["h1", "h2"]);
  const handler = (host: KvHost) => {
    const kvAnswer = kvHandler(host);
    return (request: Parameters<typeof kvAnswer>[0]) => {
      const script = shellOf(request);
      if (script === "noisy") return { output: `${lines.join("\n")}\n`, status: 1 };
      if (script === "quiet") return { output: "", status: 1 };
      return kvAnswer(request);
    };
  };
  const log: FakeLog = { execs: [] };
  const run = await runFake(
    book(() => [withKey("x", { apply: () => "noisy" })]),
    fakeInventory(["h1", "h2"]),
    hosts,
    { connect: fakeConnector({ h1: handler(hosts.h1!), h2: handler(hosts.h2!) }, log) },
  );
  const quiet = await runFake(
    book(() => [withKey("x", { apply: () => "quiet" })]),
    fakeInventory(["h1"]),
    hosts,
    {
      connect: fakeConnector({ h1: handler(hosts.h1!) }, log),
    },
  );
  const change = [{ summary: "x (unset) -> 1" }];
  assert.equal(playTasks(run)[0], task("kv:x", "failed", { message: lines.slice(5).join("\n"), changes: change }));
  assert.equal(playTasks(quiet), [task("kv:x", "failed", { message: "(no output)", changes: change })]);
  assert.ok(!reached(hosts.h1!) && !reached(hosts.h2!));
});

test("a probe answer the resource cannot read fails its task with the parse error and ends the host's run", async () => {
  const hosts = newHosts(["h1"]);
  const unreadable = withKey("x", {
    parse: () => {
      throw new Error("x: cannot read the probe's answer");
    },
  });
  const run = await runFake(
    book(() => [unreadable, kv("y", "1")]),
    fakeInventory(["h1"]),
    hosts,
  );
  assert.is(run.exitCode, 1);
  assert.equal(playTasks(run), [task("kv:x", "failed", { message: "x: cannot read the probe's answer" })]);
  assert.equal(hosts.h1!.actions, []);
});

test("verify after apply: passed, the task changed; failed, its rollback runs and the message says how that went; the play fails", async () => {
  const change = [{ summary: "x (unset) -> 1" }];
  const verified: unknown[] = [];
  const cases = [
    [{ verify: async (state: unknown) => void verified.push(state) }, undefined, ["set x 1"]],
    [{ verify: failedCheck, rollback: () => "undo x" }, "health check failed (rolled back)", ["set x 1", "undo x"]],
    [
      { verify: failedCheck, rollback: () => "fail x" },
      "health check failed (ROLLBACK FAILED: boom: x)",
      ["set x 1", "fail x"],
    ],
    [{ verify: failedCheck }, "health check failed (no rollback)", ["set x 1"]],
  ] as const;
  for (const [extra, message, actions] of cases) {
    const hosts = newHosts(["h1"]);
    const run = await runFake(
      book(() => [withKey("x", extra)]),
      fakeInventory(["h1"]),
      hosts,
    );
    const status = message ? "failed" : "changed";
    assert.equal(playTasks(run), [task("kv:x", status, { message, changes: change })]);
    assert.equal(hosts.h1!.actions, message ? actions : [...actions, "set after 1"]);
  }
  assert.equal(verified, [null], "verify gets the state the resource was planned from");
});
async function failedCheck(): Promise<void> {
  throw new Error("health check failed");
}

test("handlers run after the play's changes in one exec, each reported changed with its resource's id; the first that fails ends them and fails the play", async () => {
  const handlers = { first: () => action("first"), second: () => failing("second"), third: () => action("third") };
  const tasksOf = (notify: string[]) => () => [kv("x", "1", { notify })];
  const hosts = newHosts(["h1"]);
  const run = await runFake(book(tasksOf(["third", "second", "first"]), handlers), fakeInventory(["h1"]), hosts);
  assert.is(run.exitCode, 1);
  assert.equal(playTasks(run), [
    task("kv:x", "changed", { changes: [{ summary: "x (unset) -> 1" }] }),
    task("first", "changed", { changes: [{ summary: "do:first" }], handler: true }),
    task("second", "failed", { message: "boom: second", handler: true }),
  ]);
  assert.equal(hosts.h1!.actions, ["set x 1", "do first", "fail second"]);
  const passing = await runFake(
    book(tasksOf(["third", "first"]), { first: handlers.first, third: handlers.third }),
    fakeInventory(["h1"]),
    newHosts(["h1"]),
  );
  assert.is(passing.exitCode, 0);
  assert.equal(
    playTasks(passing).map(({ id, status }) => [id, status]),
    [
      ["kv:x", "changed"],
      ["first", "changed"],
      ["third", "changed"],
    ],
  );
});
function failing(name: string): AnyResource {
  return { ...action(name), apply: () => `fail ${name}` };
}

test("--check reports each notified handler as 'would run' and the host as drifted (exit 2), running nothing; the host's later plays are checked too", async () => {
  const hosts = newHosts(["h1"]);
  const run = await runFake(
    book(() => [kv("x", "1", { notify: ["reload"] })], { reload: () => action("reload") }),
    fakeInventory(["h1"]),
    hosts,
    { check: true },
  );
  assert.is(run.exitCode, 2);
  assert.equal(playTasks(run), [
    task("kv:x", "changed", { changes: [{ summary: "x (unset) -> 1" }] }),
    task("reload", "changed", { changes: [{ summary: "would run" }], handler: true }),
  ]);
  assert.equal(
    tasks(run.events)
      .filter((event) => event.play === "later")
      .map(({ id, status }) => [id, status]),
    [["kv:after", "changed"]],
  );
  assert.equal(hosts.h1!.actions, []);
});

/** A unit resource: keeps `unit` started; `fresh` tells whether its apply starts it from stopped. */
const unit = (name: string, extra: Partial<AnyResource>): AnyResource => ({
  id: `unit:${name}`,
  notify: [],
  tags: [],
  probe: () => shellProbe(`get unit-${name}`),
  parse: () => null,
  plan: () => [{ summary: `start ${name}` }],
  apply: () => `do start-${name}`,
  ...extra,
});
const refreshing = (name: string, unitName: string) => () => ({ ...action(name), refreshes: unitName });

test("a unit started fresh after a change makes that change's handlers for the same unit needless; handlers of other units, or notified after it, still run", async () => {
  const handlers = { "reload web": refreshing("reload-web", "web"), "restart db": refreshing("restart-db", "db") };
  const conf = () => kv("conf", "1", { notify: ["reload web", "restart db"] });
  const cases = [
    ["started fresh", { keepsStarted: "web", startsFresh: () => true }, ["do restart-db"]],
    ["already running", { keepsStarted: "web", startsFresh: () => false }, ["do reload-web", "do restart-db"]],
    ["no fresh-start test", { keepsStarted: "web" }, ["do reload-web", "do restart-db"]],
    ["keeps no unit", { startsFresh: () => true }, ["do reload-web", "do restart-db"]],
  ] as const;
  for (const [name, extra, ran] of cases) {
    const hosts = newHosts(["h1"]);
    const run = await runFake(
      book(() => [conf(), unit("web", extra)], handlers),
      fakeInventory(["h1"]),
      hosts,
    );
    assert.is(run.exitCode, 0, name);
    assert.equal(hosts.h1!.actions, ["set conf 1", "do start-web", ...ran, "set after 1"], name);
  }
});

const HOLDER = "ops@other pid 77, playbook site, started 2026-12-04T09:00:00.000Z";
const lockPlaybook = book(() => [kv("x", "1"), kv("y", "1")]);

test("held by another run: the wait says and uses --timeout (less 5 s for the login); a wait that finds it still held gives up and fails the host, changing nothing", async () => {
  const hosts = newHosts(["h1"]);
  const fake = { h1: { lockHolder: HOLDER, lockKept: true } };
  const run = await runFake(lockPlaybook, fakeInventory(["h1"]), hosts, { fake, timeoutSeconds: 30 });
  assert.is(run.exitCode, 1);
  assert.equal(
    run.events.filter((event) => event.type === "waiting"),
    [{ type: "waiting", host: "h1", message: `converge lock held by ${HOLDER}; waiting (at most 30 s)` }],
  );
  assert.match(run.log.execs[3]!.stdin, /flock -w 25 9/);
  assert.equal(playTasks(run), [
    task("converge lock", "failed", { message: `gave up after 30 s waiting for the converge lock held by ${HOLDER}` }),
  ]);
  assert.equal(hosts.h1!.actions, []);
});

test("--no-wait: the lock's failure is the host's only task of the play, and its later plays do not run", async () => {
  const hosts = newHosts(["h1"]);
  const run = await runFake(lockPlaybook, fakeInventory(["h1"]), hosts, {
    noWait: true,
    fake: { h1: { lockHolder: HOLDER } },
  });
  assert.equal(
    playTasks(run).map(({ id, status }) => [id, status]),
    [["converge lock", "failed"]],
  );
  assert.equal(hosts.h1!.actions, []);
});

/** The fake hosts, but another run converges h1 (sets x and y) as this one first tries for the lock, or waits for it. */
function connectOtherRunConverges(hosts: Record<string, KvHost>, fake: FakeHostOptions, onWait: boolean) {
  const connect = connectorFor(hosts, { execs: [] }, { h1: fake });
  return async (host: { name: string }): Promise<Transport> => {
    const transport = await connect(host);
    const exec: Transport["exec"] = async (command, options) => {
      const seconds = options?.plan?.sections.flatMap((section) =>
        "step" in section ? [section.step.lockWaitSeconds] : [],
      );
      if (seconds?.some((wait) => wait !== undefined && wait > 0 === onWait))
        for (const key of ["x", "y"]) hosts[host.name]!.store.set(key, "1");
      return transport.exec(command, options);
    };
    return { ...transport, exec };
  };
}

test("when another run had the lock since the probe (busy, then waited for; or stale at once), the rest from the first change on is probed again and planned anew: what it converged is not applied again", async () => {
  for (const [name, fake, onWait] of [
    ["busy", { lockHolder: HOLDER }, true],
    ["stale", { lockTakenMeanwhile: true }, false],
  ] as const) {
    const hosts = newHosts(["h1"]);
    hosts.h1!.store.set("w", "2");
    const run = await runFake(
      book(() => [kv("w", "2"), kv("x", "1"), kv("y", "1")]),
      fakeInventory(["h1"]),
      hosts,
      {
        connect: connectOtherRunConverges(hosts, fake, onWait),
      },
    );
    assert.is(run.exitCode, 0, name);
    assert.equal(
      playTasks(run).map(({ id, status }) => [id, status]),
      [
        ["kv:w", "ok"],
        ["kv:x", "ok"],
        ["kv:y", "ok"],
      ],
      name,
    );
    assert.equal(hosts.h1!.actions, ["set after 1"], name);
  }
});

/** The fake hosts, but an exec that applies x ends as a timed-out one does; the logins outlive the run (--persist). */
function connectTimingOut(hosts: Record<string, KvHost>, log: FakeLog) {
  const connect = connectorFor(hosts, log);
  const appliesX = (options: ExecOptions = {}) =>
    options.plan?.sections.some((section) => "step" in section && section.step.script === "set x 1") ?? false;
  return async (host: { name: string }): Promise<Transport> => {
    const transport = await connect(host);
    const exec: Transport["exec"] = (command, options) =>
      appliesX(options) ? Promise.resolve({ stdout: "", stderr: "", code: null }) : transport.exec(command, options);
    return { ...transport, exec, outlivesRun: true };
  };
}

test("an apply that timed out may have taken the lock in front of it: a login kept past the run ends the lock's holder", async () => {
  const hosts = newHosts(["h1"]);
  const log: FakeLog = { execs: [] };
  const run = await runFake(lockPlaybook, fakeInventory(["h1"]), hosts, { connect: connectTimingOut(hosts, log) });
  assert.is(run.exitCode, 1);
  assert.match(log.execs.at(-1)!.stdin, /kill "\$foobar_pid"/);
});

test("times come from the run's clock: every host-play and task lies within the run; an apply, a handler and a timed-out apply take their exec's time", async () => {
  const realNow = Date.now;
  let now = 1_000_000;
  Date.now = () => ++now;
  try {
    const begin = Date.now();
    const playbook = book(() => [kv("x", "1", { notify: ["reload"] })], { reload: () => action("reload") });
    const run = await runFake(playbook, fakeInventory(["h1"]), newHosts(["h1"]));
    const log: FakeLog = { execs: [] };
    const hosts = newHosts(["h1"]);
    const timedOut = await runFake(playbook, fakeInventory(["h1"]), hosts, { connect: connectTimingOut(hosts, log) });
    const end = Date.now();
    const timed = (events: typeof run.events) =>
      events.filter((event) => event.type === "task" || event.type === "host-play");
    for (const event of [...timed(run.events), ...timed(timedOut.events)])
      assert.ok(event.startedAt >= begin && event.startedAt + event.durationMs <= end, JSON.stringify(event));
    const spent = (events: typeof run.events) =>
      timed(events).map((event) => [event.type === "task" ? event.id : event.play, event.durationMs > 0]);
    assert.equal(spent(run.events), [
      ["gather facts", true],
      ["kv:x", true],
      ["reload", true],
      ["p", true],
      ["kv:after", true],
      ["later", true],
    ]);
    assert.equal(spent(timedOut.events), [
      ["gather facts", true],
      ["kv:x", true],
      ["p", true],
    ]);
  } finally {
    Date.now = realNow;
  }
});

test.run();
