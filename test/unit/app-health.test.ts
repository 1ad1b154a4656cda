// Health pieces of the app: status from reachability, the shared short-lived probe cache, replica lag parsing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { replicaLagSeconds, type StatusQuery } from "../../app/src/db/replica-lag.ts";
import { withTimeout } from "../../app/src/db/timeout.ts";
import { cachedProbe } from "../../app/src/health/cached-probe.ts";
import { healthStatus } from "../../app/src/health/health.ts";

function database(primary: boolean, replica: boolean) {
  return { primary: { reachable: primary, ms: 1 }, replica: { reachable: replica, ms: 1, lagSeconds: null } };
}

function serverError(errno: number, message: string): Error {
  return Object.assign(new Error(message), { errno });
}

test("status: ok, degraded with one side down, down with both", () => {
  assert.is(healthStatus("not configured"), "ok");
  assert.is(healthStatus(database(true, true)), "ok");
  assert.is(healthStatus(database(true, false)), "degraded");
  assert.is(healthStatus(database(false, true)), "degraded");
  assert.is(healthStatus(database(false, false)), "down");
});

test("cachedProbe: one probe in flight, reused for the ttl after it settles, then refreshed", async () => {
  let now = 0;
  let probes = 0;
  let finish: (value: number) => void = () => {};
  const probe = cachedProbe(
    () => {
      probes++;
      return new Promise<number>((resolve) => (finish = resolve));
    },
    1000,
    () => now,
  );
  const first = probe();
  now = 5000;
  const second = probe();
  assert.is(probes, 1, "a slow probe is shared, not piled up");
  finish(7);
  assert.equal(await Promise.all([first, second]), [7, 7]);
  now = 5999;
  assert.is(await probe(), 7);
  assert.is(probes, 1);
  now = 6000;
  const third = probe();
  assert.is(probes, 2);
  finish(8);
  assert.is(await third, 8);
});

test("replica lag: SHOW REPLICA STATUS, Seconds_Behind_Source or Seconds_Behind_Master", async () => {
  const asked: string[] = [];
  const query: StatusQuery = async (sql) => {
    asked.push(sql);
    return [{ Seconds_Behind_Source: 4 }];
  };
  assert.is(await replicaLagSeconds(query), 4);
  assert.equal(asked, ["SHOW REPLICA STATUS"]);
  assert.is(await replicaLagSeconds(async () => [{ Seconds_Behind_Master: "12" }]), 12);
});

test("replica lag falls back to SHOW SLAVE STATUS on servers without SHOW REPLICA STATUS", async () => {
  const asked: string[] = [];
  const query: StatusQuery = async (sql) => {
    asked.push(sql);
    if (sql === "SHOW REPLICA STATUS") throw serverError(1064, "You have an error in your SQL syntax");
    return [{ Seconds_Behind_Master: 0 }];
  };
  assert.is(await replicaLagSeconds(query), 0);
  assert.equal(asked, ["SHOW REPLICA STATUS", "SHOW SLAVE STATUS"]);
});

test("replica lag is null when unknown: no privilege, not a replica, replication stopped", async () => {
  const denied: StatusQuery = async () => {
    throw serverError(1227, "Access denied; you need (at least one of) the REPLICATION CLIENT privilege(s)");
  };
  assert.is(await replicaLagSeconds(denied), null);
  assert.is(await replicaLagSeconds(async () => []), null);
  assert.is(await replicaLagSeconds(async () => [{ Seconds_Behind_Master: null }]), null);
});

test("replica lag: other errors are thrown", async () => {
  try {
    await replicaLagSeconds(async () => {
      throw serverError(2013, "Lost connection to MySQL server during query");
    });
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /Lost connection/);
  }
});

test("withTimeout: the value in time, a TimeoutError after", async () => {
  assert.is(await withTimeout(Promise.resolve(1), 50, "fast"), 1);
  const never = new Promise<number>(() => {});
  try {
    await withTimeout(never, 10, "primary probe");
    assert.unreachable();
  } catch (error) {
    assert.is((error as Error).message, "primary probe timed out after 10 ms");
  }
});

test.run();
