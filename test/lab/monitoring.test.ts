// Monitoring on booted hosts: every exporter scraped, alerts that fire and resolve, exporters closed to all but mon-01.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { converge, eventually, freshHosts, host, hosts, mustOnHost, onHost } from "./harness.ts";
import { firing, prometheus } from "./prometheus.ts";

test.before(async () => {
  await freshHosts("mon-01");
});

test("site converges the monitoring host from scratch; second run: 0 changed", async () => {
  const first = await converge("site");
  assert.is(first.exitCode, 0, first.output);
  const second = await converge("site");
  assert.is(second.changed, 0, second.changedTasks.join("\n"));
});

/** node_exporter everywhere, HAProxy on each LB, nginx on each web host, mysqld on both databases, the site probe. */
const EXPECTED_TARGETS =
  hosts.hosts.length +
  hosts.group("lb").length +
  hosts.group("web").length +
  hosts.group("db_primary").length +
  hosts.group("db_replica").length +
  1;

test("every target of every tier is up in Prometheus", async () => {
  type Targets = { activeTargets: { labels: { job: string; instance: string }; health: string; lastError: string }[] };
  let last: Targets | undefined;
  const allUp = await eventually(
    async () => {
      last = await prometheus<Targets>("/api/v1/targets");
      return (
        last.activeTargets.length === EXPECTED_TARGETS && last.activeTargets.every((target) => target.health === "up")
      );
    },
    60_000,
    1000,
  );
  assert.ok(
    allUp,
    JSON.stringify(
      last?.activeTargets.map(
        (target) => `${target.labels.job}/${target.labels.instance}: ${target.health} ${target.lastError}`,
      ),
    ),
  );
  const expiry = await prometheus<{ result: { value: [number, string] }[] }>(
    "/api/v1/query?query=probe_ssl_earliest_cert_expiry",
  );
  assert.ok(Number(expiry.result[0]?.value[1]) > Date.now() / 1000, "the site's certificate expiry is watched");
});

test("nginx stopped on web-01: WebBackendDown fires; started again: it resolves", async () => {
  await mustOnHost("web-01", "systemctl stop nginx");
  try {
    assert.ok(
      await eventually(() => firing("WebBackendDown", { server: "web-01" }), 90_000, 1000),
      "WebBackendDown fired for web-01",
    );
  } finally {
    await mustOnHost("web-01", "systemctl start nginx");
  }
  assert.ok(await eventually(async () => !(await firing("WebBackendDown")), 90_000, 1000), "the alert resolved");
});

test("replication stopped on db-02: ReplicaNotRunning fires; the next converge repairs it and the alert resolves", async () => {
  await mustOnHost("db-02", "mariadb -e 'STOP REPLICA'");
  assert.ok(
    await eventually(() => firing("ReplicaNotRunning", { instance: "db-02" }), 90_000, 1000),
    "ReplicaNotRunning fired for db-02",
  );
  assert.is((await converge("site", ["-l", "db-02"])).exitCode, 0);
  assert.ok(await eventually(async () => !(await firing("ReplicaNotRunning")), 90_000, 1000), "the alert resolved");
});

test("exporters answer the monitoring host only", async () => {
  const db = host("db-01").privateAddress;
  const web = host("web-01").privateAddress;
  assert.is(
    (await onHost("mon-01", `nc -z -w2 ${db} 9100 && nc -z -w2 ${db} 9104 && nc -z -w2 ${web} 9113`)).code,
    0,
    "mon-01 reaches the exporters",
  );
  for (const [from, target, port] of [
    ["web-01", db, 9100],
    ["web-01", db, 9104],
    ["lb-01", web, 9113],
    ["db-02", host("lb-01").privateAddress, 8404],
  ] as const) {
    assert.is.not(
      (await onHost(from, `nc -z -w2 ${target} ${port}`)).code,
      0,
      `${from} must not reach ${target}:${port}`,
    );
  }
});

test.run();
