// Per-host progress through a playbook: a play waits only for the plays it names in `needs` (all the plays above it
// when it names none); a need that did not complete skips the play on the hosts that wait for it, naming where.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Transport } from "../../lib/connection/transport.ts";
import { InputError } from "../../lib/errors.ts";
import { definePlaybook, type Play } from "../../lib/dsl/playbook.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { playNeeds } from "../../lib/runner/play-needs.ts";
import { connectorFor, fakeInventory, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const play = (name: string, hosts: string, needs?: string[]): Play => ({
  name,
  hosts,
  roles: [thirtyKeys],
  ...(needs ? { needs } : {}),
});
const names = ["h1", "h2", "h3"];

/**
 * A run whose hosts log, in one sequence with the run's events, each exec they start; h1's execs after its facts wait
 * until h3 has ended its play "free" (or, should h3 be waiting for h1, until a deadlock breaker lets the run finish, and
 * the test fail on releasedBy).
 */
async function runWithSlowH1(book: ReturnType<typeof definePlaybook>, hosts: ReturnType<typeof newHosts>) {
  const sequence: string[] = [];
  let releaseH1 = (_by: string) => {};
  const h3Done = new Promise<string>((resolve) => (releaseH1 = resolve));
  const deadlockBreaker = setTimeout(() => releaseH1("the deadlock breaker"), 5000);
  const connect = connectorFor(hosts, { execs: [] });
  const reporter = {
    events: [] as RunEvent[],
    emit(event: RunEvent) {
      this.events.push(event);
      if (event.type === "host-play") sequence.push(`ended ${event.play} on ${event.host}`);
      if (event.type === "host-play" && event.play === "free" && event.host === "h3") releaseH1("h3's play");
    },
    close() {},
  };
  const run = await runFake(book, fakeInventory(names), hosts, {
    reporter,
    connect: async (host: { name: string }): Promise<Transport> => {
      const transport = await connect(host);
      const exec: Transport["exec"] = async (command, options) => {
        sequence.push(`exec on ${host.name}`);
        if (host.name === "h1" && sequence.includes("ended gather facts on h1")) await h3Done;
        return transport.exec(command, options);
      };
      return { ...transport, exec };
    },
  });
  clearTimeout(deadlockBreaker);
  return { ...run, events: reporter.events, sequence, releasedBy: await h3Done };
}

test("needs: the named earlier plays, or every play above when none is named; unknown or later names are input errors", () => {
  const book = definePlaybook("b", [play("a", "h1"), play("b", "h2"), play("c", "h3", ["a"]), play("d", "h3", [])]);
  assert.equal(playNeeds(book), [[], [0], [0], []]);
  for (const [needs, message] of [
    [["nope"], /play "x" needs "nope": no play of playbook b has that name/],
    [["y"], /play "x" needs "y", which comes after it/],
  ] as const) {
    const bad = definePlaybook("b", [play("a", "h1"), play("x", "h2", [...needs]), play("y", "h3")]);
    assert.throws(
      () => playNeeds(bad),
      (error: unknown) => error instanceof InputError && message.test(error.message),
    );
  }
});

test("an unknown need stops the run before any connection: an input error, and no host is connected to", async () => {
  const book = definePlaybook("b", [play("a", "h1"), play("x", "h2", ["nope"])]);
  const connected: string[] = [];
  const connect = async (host: { name: string }): Promise<Transport> => {
    connected.push(host.name);
    throw new Error(`connected to ${host.name}`);
  };
  await runFake(book, fakeInventory(names), newHosts(names), { connect }).then(
    () => assert.unreachable("the run went on"),
    (error: unknown) => assert.ok(error instanceof InputError && /needs "nope"/.test(error.message), String(error)),
  );
  assert.equal(connected, []);
});

test("a host goes on as soon as what its play needs is done: h3's play that needs nothing ends while h1 is held; h2 waits for h1", async () => {
  const hosts = newHosts(names);
  const book = definePlaybook("b", [play("first", "h1"), play("after first", "h2", ["first"]), play("free", "h3", [])]);
  const run = await runWithSlowH1(book, hosts);
  assert.is(run.exitCode, 0);
  assert.is(run.releasedBy, "h3's play", "h3 ended its play while h1 was held");
  const at = (entry: string) => {
    const index = run.sequence.indexOf(entry);
    assert.ok(index >= 0, `${entry} is in ${run.sequence.join(", ")}`);
    return index;
  };
  assert.ok(at("ended free on h3") < at("ended first on h1"), "h3 did not wait for h1");
  const h2Plays = run.sequence.indexOf("exec on h2", at("ended gather facts on h2"));
  assert.ok(h2Plays > at("ended first on h1"), "h2's play started only once h1 was done with the play it needs");
  assert.is(hosts.h2!.store.get("k29"), "v29");
});

test("a need that did not complete: the waiting play is skipped naming the host, and so are that host's later plays; the others go as far as they can", async () => {
  const hosts = newHosts(names);
  const book = definePlaybook("b", [
    play("primary", "h1"),
    play("replica", "h2", ["primary"]),
    play("replica extras", "h2", []),
    play("balancer", "h3", []),
  ]);
  const run = await runFake(book, fakeInventory(names), hosts, { fake: { h1: { unreachable: true } } });
  assert.is(run.exitCode, 3, "the unreachable host decides the exit code");
  const skipped = run.events.filter(
    (event): event is Extract<RunEvent, { type: "task" }> => event.type === "task" && event.status === "skipped",
  );
  assert.equal(
    skipped.map((event) => [event.host, event.play, event.message]),
    [
      ["h2", "replica", 'needs play "primary", which did not complete on h1 (unreachable)'],
      ["h2", "replica extras", 'an earlier play of this host ("replica") was skipped'],
    ],
  );
  assert.ok(
    skipped.every((event) => typeof event.startedAt === "number" && event.durationMs === 0),
    "a skipped play's task event carries its time, as every task event does (docs/events.md)",
  );
  assert.equal(hosts.h2!.actions, []);
  assert.is(hosts.h3!.store.get("k29"), "v29", "the balancer play needs nothing and ran");
});

test.run();
