// Drift watch on booted hosts: the timer's service (drift.ts) publishes drift made by hand on two hosts to mon-01's
// Prometheus, ConfigurationDrift fires and resolves after a converge; a host cut off is published as unreachable.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import { capture, run } from "../../lab/run-command.ts";
import { labHost, SWITCH } from "../../lab/topology.ts";
import { converge, eventually, hosts, mustOnHost } from "./harness.ts";
import { firing, queryBy } from "./prometheus.ts";

const scratch = mkdtempSync(join(tmpdir(), "drift-watch-"));
test.after(() => rmSync(scratch, { recursive: true, force: true }));
const EXPORTER_DEFAULTS = "/etc/default/prometheus-node-exporter";
const DRIFTED = ["db-02", "web-01"];

/** The service unit's settings (the last value of each key). */
function unitSettings(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split("\n")
      .filter((line) => /^[A-Za-z]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
  );
}

let service: Record<string, string> = {};

/** The timer's service, started as systemd would start it (this machine runs no systemd): its exit code and output. */
async function startService(): Promise<{ code: number | null; output: string }> {
  const [command, ...args] = service.ExecStart!.split(" ");
  const path = service.Environment!.replace(/^PATH=/, "");
  const result = await capture(command!, args, { cwd: service.WorkingDirectory, env: { ...process.env, PATH: path } });
  return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
}

const driftByHost = () => queryBy("sum by (host) (foobar_drift_resources)", "host");

test.before(async () => {
  const site = await converge("site");
  assert.is(site.exitCode, 0, site.output);
});

test("drift.ts --install-timer writes a oneshot service as the installer and a timer every --every", async () => {
  const units = join(scratch, "units");
  const installed = await capture(join(REPO_ROOT, "bin/foobar-infra"), [
    "drift",
    "-i",
    "lab",
    "--install-timer",
    "--every",
    "1m",
    "--unit-dir",
    units,
  ]);
  assert.is(installed.code, 0, installed.stderr);
  service = unitSettings(readFileSync(join(units, "foobar-drift-lab.service"), "utf8"));
  assert.is(service.ExecStart, `${join(REPO_ROOT, "bin/foobar-infra")} drift -i lab`);
  assert.is(service.WorkingDirectory, REPO_ROOT);
  assert.is(service.User, "root", "the user who installed it (this test runs as root)");
  assert.is(service.SuccessExitStatus, "2 3", "drift and unreachable hosts are results, not unit failures");
  const timer = unitSettings(readFileSync(join(units, "foobar-drift-lab.timer"), "utf8"));
  assert.is(timer.OnUnitActiveSec, "1m");
});

test("drift on two hosts: the service publishes both with their counts and ConfigurationDrift fires; a converge and the next check resolve it", async () => {
  await mustOnHost("web-01", `echo '# edited by hand' >> ${EXPORTER_DEFAULTS}`);
  await mustOnHost("db-02", `chmod 0600 ${EXPORTER_DEFAULTS}`);
  const checked = await startService();
  assert.is(checked.code, 2, checked.output);
  let seen: Record<string, number> = {};
  assert.ok(
    await eventually(
      async () => {
        seen = await driftByHost();
        return DRIFTED.every((name) => seen[name] === 1);
      },
      60_000,
      1000,
    ),
    JSON.stringify(seen),
  );
  assert.equal(
    Object.entries(seen)
      .filter(([, count]) => count > 0)
      .map(([name]) => name)
      .sort(),
    DRIFTED,
    "only the two drifted hosts",
  );
  assert.equal(Object.keys(seen).sort(), hosts.hosts.map((item) => item.name).sort(), "every host is published");
  for (const name of DRIFTED)
    assert.ok(await eventually(() => firing("ConfigurationDrift", { host: name }), 60_000, 1000), `drift on ${name}`);

  const repaired = await converge("site");
  assert.is(repaired.exitCode, 0, repaired.output);
  const clean = await startService();
  assert.is(clean.code, 0, clean.output);
  assert.ok(
    await eventually(async () => Object.values(await driftByHost()).every((count) => count === 0), 60_000, 1000),
    "no drift published",
  );
  for (const name of DRIFTED)
    assert.ok(
      await eventually(async () => !(await firing("ConfigurationDrift", { host: name })), 60_000, 1000),
      `resolved on ${name}`,
    );
  const converged = await queryBy("foobar_converge_last_success_timestamp_seconds", "host");
  assert.equal(
    Object.keys(converged).sort(),
    hosts.hosts.map((item) => item.name).sort(),
    "every host converged cleanly",
  );
});

test("a host cut off the network: published as unreachable and its ConfigurationCheckStale fires; the others keep being published", async () => {
  const before = await queryBy("foobar_check_last_run_timestamp_seconds", "host");
  const veth = labHost("db-01").veth;
  await run("ip", ["-n", SWITCH.netns, "link", "set", veth, "down"]);
  try {
    const checked = await startService();
    assert.is(checked.code, 3, checked.output);
    assert.ok(
      await eventually(() => firing("ConfigurationCheckStale", { host: "db-01" }), 60_000, 1000),
      "stale or unreachable: db-01",
    );
    const unreachable = await queryBy("foobar_check_unreachable", "host");
    assert.is(unreachable["db-01"], 1);
    const others = hosts.hosts.map((item) => item.name).filter((item) => item !== "db-01");
    let after: Record<string, number> = {};
    assert.ok(
      await eventually(
        async () => {
          after = await queryBy("foobar_check_last_run_timestamp_seconds", "host");
          return others.every((name) => after[name]! > before[name]!);
        },
        60_000,
        1000,
      ),
      `the other hosts were checked again: ${JSON.stringify({ before, after })}`,
    );
    assert.is(after["db-01"], before["db-01"], "db-01's last check is the one before it was cut off");
  } finally {
    await run("ip", ["-n", SWITCH.netns, "link", "set", veth, "up"]);
  }
  const back = await startService();
  assert.is(back.code, 0, back.output);
  assert.ok(
    await eventually(async () => !(await firing("ConfigurationCheckStale", { host: "db-01" })), 60_000, 1000),
    "db-01 checked again: resolved",
  );
});

test.run();
