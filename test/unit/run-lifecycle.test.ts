// runPlaybook's frame around the hosts' work: the start event's hosts, a host error that is no unreachability, the
// recap's duration, the reporter and every login closed, the lock's holder ended on a login that outlives the run,
// and the become passwords resolved for exactly the hosts the run logs in to.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { Transport } from "../../lib/connection/transport.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { InputError } from "../../lib/errors.ts";
import type { EnvironmentSpec } from "../../lib/inventory/types.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { runLock } from "../../lib/runner/host-lock.ts";
import type { RunOptions } from "../../lib/runner/run-options.ts";
import { secret } from "../../lib/secret.ts";
import type { FakeLog } from "../../lib/testing/fake-transport.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const role = defineRole({
  name: "one_key",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => [kv("k", "v")],
});
const book = definePlaybook("frame", [{ name: "keys", hosts: "all_fake", roles: [role] }]);

/** The fake connector for `names`, each transport changed by `change`, with each host's closes counted. */
function connector(names: string[], log: FakeLog, change: (transport: Transport) => Partial<Transport> = () => ({})) {
  const closes: string[] = [];
  const fake = connectorFor(newHosts(names), log);
  const connect: RunOptions["connect"] = async (host) => {
    const transport = await fake(host);
    return {
      ...transport,
      close: async () => {
        closes.push(host.name);
      },
      ...change(transport),
    };
  };
  return { connect, closes };
}

test("start lists the run's hosts; the recap's duration lies within the call; the reporter and every login close once", async () => {
  const log: FakeLog = { execs: [] };
  const { connect, closes } = connector(["h1", "h2"], log);
  const seen: string[] = [];
  let start: RunEvent | undefined;
  let recap: RunEvent | undefined;
  const before = performance.now();
  await runFake(
    book,
    fakeInventory(["h1", "h2"]),
    {},
    {
      connect,
      reporter: {
        emit: (event) => {
          seen.push(event.type);
          if (event.type === "start") start = event;
          if (event.type === "recap") recap = event;
        },
        close: () => seen.push("close"),
      },
    },
  );
  const elapsed = performance.now() - before;
  assert.equal(start, {
    type: "start",
    playbook: "frame",
    environment: "test",
    hosts: ["h1", "h2"],
    check: false,
    hostPlays: { h1: 1, h2: 1 },
  });
  assert.ok(recap?.type === "recap" && recap.durationMs >= 0 && recap.durationMs <= Math.ceil(elapsed), `${elapsed}`);
  assert.equal(seen.slice(-2), ["recap", "close"]);
  assert.equal(seen.filter((type) => type === "close").length, 1);
  assert.equal(closes.sort(), ["h1", "h2"]);
});

test("an exec that throws an error other than unreachability fails its host as task exec with the message, exit 1", async () => {
  const log: FakeLog = { execs: [] };
  const { connect } = connector(["h1", "h2"], log, (transport) =>
    transport.host === "h1"
      ? {
          exec: async (command, options) => {
            if (options?.plan?.sections.some((section) => "step" in section)) throw new Error("disk on fire");
            return transport.exec(command, options);
          },
        }
      : {},
  );
  const run = await runFake(book, fakeInventory(["h1", "h2"]), {}, { connect });
  const failed = run.events.filter((event) => event.type === "task" && event.status === "failed");
  assert.equal(
    failed.map((event) => event.type === "task" && [event.play, event.host, event.id, event.message, event.durationMs]),
    [["keys", "h1", "exec", "disk on fire", 0]],
  );
  assert.equal(
    run.events.filter((event) => event.type === "unreachable"),
    [],
  );
  assert.equal([run.counts.h1!.failed, run.counts.h2!.changed, run.exitCode], [1, 1, 1]);
});

test("a login that outlives the run ends this run's lock holder at the end, unless the lock is kept by its command", async () => {
  const releases = async (options: Partial<RunOptions>, outlivesRun: boolean) => {
    const log: FakeLog = { execs: [] };
    const { connect } = connector(["h1"], log, () => ({ outlivesRun }));
    await runFake(book, fakeInventory(["h1"]), {}, { connect, ...options });
    return log.execs.filter((exec) => exec.stdin.includes("read -r foobar_id foobar_pid _ <"));
  };
  const ended = await releases({}, true);
  assert.is(ended.length, 1);
  assert.match(ended[0]!.stdin, /^(?:.*\n)*read -r foobar_id foobar_pid _ < \S+ 2>\/dev\/null && \[ "\$foobar_id" = /);
  assert.equal(await releases({}, false), [], "a login that ends with the run ends its holder too");
  assert.equal(await releases({ heldLock: runLock("outer") }, true), [], "the outer command ends it");
  assert.equal(await releases({ check: true }, true), [], "--check takes no lock");
});

/** An inventory whose h1 needs a become password from a secret nowhere to be found. */
function becomeSpec(metricsOn?: string) {
  const spec = fakeInventory(["h1", "h2"]);
  const env = spec.environments.test as EnvironmentSpec;
  env.ssh = { user: "ops" };
  env.hosts.h1!.ssh = { becomePassword: secret("become_nowhere_37") };
  if (metricsOn) env.runMetrics = { host: metricsOn, directory: "/var/lib/metrics" };
  return spec;
}

test("become passwords: a host the limit leaves out needs none, the metrics host needs its own though left out", async () => {
  delete process.env.FOOBAR_SECRET_BECOME_NOWHERE_37;
  const run = (spec: ReturnType<typeof becomeSpec>) =>
    runFake(book, spec, newHosts(["h1", "h2"]), { limit: "h2" }).then(
      (result) => result.exitCode,
      (error: unknown) => error,
    );
  assert.is(await run(becomeSpec()), 0);
  const error = await run(becomeSpec("h1"));
  assert.ok(error instanceof InputError, String(error));
  assert.match(error.message, /host h1: missing secret "become_nowhere_37"/);
});

test.run();
