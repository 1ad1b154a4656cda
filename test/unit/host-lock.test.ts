// The converge lock with the fake transport: nothing in a no-op, taken in front of a host's first change (no round
// trip of its own), waited for or refused (--no-wait) when another run holds it, never taken by --check.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { LOCK_STATE_SCRIPT, parseLockState } from "../../lib/facts/lock-state.ts";
import { LOCK_FILE, lockStep, parseLock, runLock } from "../../lib/runner/host-lock.ts";
import { fakeInventory, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake, tasks } from "./support/run.ts";

const playbook = definePlaybook("thirty", [{ name: "all", hosts: "all_fake", roles: [thirtyKeys] }]);
const HOLDER = "ops@other-controller pid 77, playbook site, started 2026-12-04T09:00:00.000Z";
/** The lock step opens the lock file (no other script does). */
const LOCK_STEP_LINE = `exec 9>>${LOCK_FILE}`;
const lockSteps = (stdin: string) => stdin.split(LOCK_STEP_LINE).length - 1;
const converged = () => {
  const hosts = newHosts(["h1"]);
  for (let index = 0; index < 30; index++) hosts.h1!.store.set(`k${index}`, `v${index}`);
  return hosts;
};

test("the lock rides in front of the first change, in the same exec; a no-op and --check take none", async () => {
  const hosts = newHosts(["h1"]);
  const run = await runFake(playbook, fakeInventory(["h1"]), hosts);
  assert.is(run.exitCode, 0);
  const [, preProbe, apply] = run.log.execs.map((exec) => exec.stdin);
  assert.is(lockSteps(preProbe!), 0);
  assert.ok(apply!.indexOf(LOCK_STEP_LINE) < apply!.indexOf("set k0 v0"), "the lock step comes before the first apply");
  assert.is(run.log.execs.filter((exec) => lockSteps(exec.stdin) > 0).length, 1, "taken once per host");
  const noOp = await runFake(playbook, fakeInventory(["h1"]), converged());
  assert.ok(noOp.log.execs.every((exec) => lockSteps(exec.stdin) === 0));
  const check = await runFake(playbook, fakeInventory(["h1"]), newHosts(["h1"]), { check: true });
  assert.ok(check.log.execs.every((exec) => lockSteps(exec.stdin) === 0 && !exec.stdin.includes(LOCK_STATE_SCRIPT)));
});

test("held by another run: a waiting event names the holder, the rest is probed again once the lock is had, then converged", async () => {
  const hosts = newHosts(["h1"]);
  const run = await runFake(playbook, fakeInventory(["h1"]), hosts, { fake: { h1: { lockHolder: HOLDER } } });
  assert.is(run.exitCode, 0);
  const waiting = run.events.find((event) => event.type === "waiting");
  assert.match(
    (waiting as { message: string }).message,
    new RegExp(`^converge lock held by ${HOLDER.replace(/[.()]/g, "\\$&")}; waiting`),
  );
  const [, , refused, wait, reprobe, apply] = run.log.execs.map((exec) => exec.stdin);
  assert.ok(refused!.includes("set k0 v0"), "the first attempt carried the apply, which the busy lock stopped");
  assert.match(wait!, /flock -w \d+ 9/, "the wait is an exec of its own");
  assert.ok(reprobe!.includes("get k0") && !reprobe!.includes("set k0"), "probed again after the wait");
  assert.ok(apply!.includes("set k0 v0") && lockSteps(apply!) === 0, "then applied, the lock held");
  assert.is(hosts.h1!.store.get("k29"), "v29");
});

test("--no-wait: the host fails at once naming the holder, nothing is applied, other hosts go on, exit 1", async () => {
  const hosts = newHosts(["h1", "h2"]);
  const run = await runFake(playbook, fakeInventory(["h1", "h2"]), hosts, {
    noWait: true,
    fake: { h1: { lockHolder: HOLDER } },
  });
  assert.is(run.exitCode, 1);
  const [failed] = tasks(run.events, "failed");
  assert.is(failed!.id, "converge lock");
  assert.is(
    failed!.message,
    `converge lock held by ${HOLDER} (--no-wait); kv:k0 and what follows were left as they are`,
  );
  assert.equal(hosts.h1!.actions, []);
  assert.is(hosts.h2!.store.get("k29"), "v29");
});

test("lock step and state probe: what they print and mean", () => {
  const lock = runLock("site");
  assert.match(lock.description, /^\S+@\S+ pid \d+, playbook site, started \d{4}-\d\d-\d\dT/);
  assert.match(lockStep(lock, 0, "abc").script, /flock -n 9 \|\| foobar_stale \|\| false/);
  assert.match(
    lockStep(lock, 30, undefined).script,
    /flock -w 30 9[\s\S]*= '?unknown'? \]/,
    "no last locker known: always probed again",
  );
  assert.equal(parseLock("lock=held\n", 0), { state: "held" });
  assert.equal(parseLock("lock=held-stale\n", 76), { state: "stale" });
  assert.equal(parseLock("lock=unavailable\n", 0), { state: "unavailable" });
  assert.equal(parseLock(`lock=busy\n${HOLDER}\n`, 75), { state: "busy", holder: HOLDER });
  assert.throws(() => parseLock("flock: not found\n", 127), /converge lock: unexpected output \(exit 127\)/);
  assert.is(parseLockState("last=abc free\n"), "abc");
  assert.is(parseLockState("last=abc held\n"), undefined, "a run still holds it: its changes may be half done");
});

test.run();
