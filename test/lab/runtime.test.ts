// Runtime state on booted hosts: values changed live (SET GLOBAL, HAProxy's runtime API) found and repaired, a drain in
// progress left alone, and a web host that dies, freezes or loses its app under ab load without a failed request.
import { cpSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { capture, run } from "../../lab/run-command.ts";
import { labHost, siteAddress, SWITCH } from "../../lab/topology.ts";
import { parseServerStat, SHOW_SERVER_STATS } from "../../roles/haproxy/runtime.ts";
import { abWhile, adminState, changedTaskIds, converge, eventually, mustOnHost } from "./harness.ts";
import { sqlCommand } from "./db-flavor.ts";

const AB_SITE = `https://${siteAddress()}/`;
const DB_AND_LB = ["-l", "db-01,db-02,lb-01"];
const LBS = ["lb-01", "lb-02"];
const scratch = mkdtempSync(join(tmpdir(), "runtime-test-"));
const sleep = (ms: number) => new Promise((resolveTimer) => setTimeout(resolveTimer, ms));

const summaries = (events: RunEvent[]) =>
  events
    .flatMap((event) =>
      event.type === "task" && event.status === "changed" ? (event.changes ?? []).map((change) => change.summary) : [],
    )
    .join("\n");

async function serverStatus(lb: string, server: string): Promise<string> {
  return parseServerStat(await mustOnHost(lb, SHOW_SERVER_STATS), server)?.status ?? "absent";
}

const upEverywhere = async (server: string) =>
  (await Promise.all(LBS.map((lb) => serverStatus(lb, server)))).every((status) => status.startsWith("UP"));

test.before(async () => {
  // Whatever the earlier suites left: the whole site converged (seconds when it already is).
  const site = await converge("site");
  assert.is(site.exitCode, 0, site.output);
});

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test("values changed live (replica writable, primary read-only, a global, a backend in maint, a weight, a frontend disabled, a loaded firewall rule): --check names each, one converge repairs them", async () => {
  await mustOnHost("db-02", sqlCommand("SET GLOBAL read_only = OFF; SET GLOBAL max_connections = 17"));
  await mustOnHost("db-01", sqlCommand("SET GLOBAL read_only = ON"));
  await mustOnHost("lb-01", "echo 'set server foobar_web/web-01 state maint' | socat stdio /run/haproxy/admin.sock");
  await mustOnHost("lb-01", "echo 'set server foobar_web/web-02 weight 0' | socat stdio /run/haproxy/admin.sock");
  await mustOnHost("lb-01", "echo 'disable frontend stats' | socat stdio /run/haproxy/admin.sock");
  await mustOnHost("lb-01", "iptables -w -D ufw-user-input -p tcp -m tcp --dport 443 -j ACCEPT");
  const expected = [
    "db-01: db-runtime-settings",
    "db-02: db-runtime-settings",
    "lb-01: haproxy-frontends",
    "lb-01: haproxy-servers:foobar_web",
    "lb-01: ufw:firewall",
  ];
  const check = await converge("site", [...DB_AND_LB, "--check"]);
  assert.is(check.exitCode, 2, check.output);
  assert.equal(changedTaskIds(check.events, "tasks").sort(), expected);
  const named = summaries(check.events);
  // HAProxy 2.6 reports a disabled frontend as PAUSED.
  for (const drift of [
    "read_only: 0 -> ON",
    "read_only: 1 -> OFF",
    "max_connections: 17 -> 200",
    "web-01: maint -> ready (no drain in progress)",
    "web-02: weight 0 -> 1",
    "stats: PAUSED -> OPEN (disabled at runtime)",
    "reload: the kernel holds 5 rules, not the 6 ufw stored",
  ]) {
    assert.ok(named.includes(drift), `--check names "${drift}":\n${named}`);
  }
  const repair = await converge("site", DB_AND_LB);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(changedTaskIds(repair.events, "tasks").sort(), expected);
  assert.is((await converge("site", [...DB_AND_LB, "--check"])).exitCode, 0);
  assert.is((await mustOnHost("db-02", sqlCommand("SELECT @@read_only, @@max_connections"))).trim(), "1\t200");
  assert.is((await mustOnHost("db-01", sqlCommand("SELECT @@read_only"))).trim(), "0");
  assert.ok(await eventually(() => upEverywhere("web-01"), 10_000), "web-01 back in rotation");
});

test("a drain survives a reload of HAProxy, and a converge during a running deploy.ts leaves the drained server alone", async () => {
  // A release whose app takes 8 s to listen: deploy.ts holds web-01 drained that long, waiting for its /health.
  const slow = join(scratch, "slow-start");
  cpSync(join(REPO_ROOT, "app/dist"), slow, { recursive: true });
  renameSync(join(slow, "server.js"), join(slow, "server-main.js"));
  writeFileSync(
    join(slow, "server.js"),
    '// Starts the app 8 s late (runtime.test.ts).\nsetTimeout(() => require("./server-main.js"), 8000);\n',
  );
  const deploy = capture(
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "playbooks/deploy.ts"), "-i", "lab", "--build", slow, "--health-timeout", "40"],
    { cwd: REPO_ROOT },
  );
  try {
    assert.ok(
      await eventually(async () => (await adminState("lb-01", "web-01")) === "drain", 30_000, 100),
      "deploy.ts drained web-01",
    );
    await mustOnHost("lb-01", "systemctl reload haproxy");
    const during = await converge("site", ["-l", "lb-01,lb-02"]);
    assert.is(during.exitCode, 0, during.output);
    assert.equal(
      changedTaskIds(during.events, "tasks").sort(),
      [],
      "the converge changed nothing on the load balancers",
    );
    assert.is(
      await adminState("lb-01", "web-01"),
      "drain",
      "still drained after the reload and the converge (the deploy is waiting for /health)",
    );
  } finally {
    const deployed = await deploy;
    assert.is(deployed.code, 0, `${deployed.stdout}\n${deployed.stderr}`);
  }
  assert.ok(await eventually(() => upEverywhere("web-01"), 10_000), "web-01 back in rotation after the deploy");
  assert.is((await mustOnHost("lb-01", "ls /run/foobar/haproxy-drains")).trim(), "", "the deploy removed its marks");
  const back = await converge("site", ["-l", "web-01,web-02"]);
  assert.is(back.exitCode, 0, `the site's own release again: ${back.output}`);
});

/** Until HAProxy on the VIP's holder stops sending to `server`, in ms from `since`. */
async function detection(server: string, since: number): Promise<number | undefined> {
  const seen = await eventually(async () => !(await serverStatus("lb-01", server)).startsWith("UP"), 15_000, 100);
  return seen ? Date.now() - since : undefined;
}

// The killed app is restarted by systemd, sometimes before two health checks fail: then it never leaves rotation
// and HAProxy's retries alone hide it.
for (const [fault, cause, heal, leavesRotation] of [
  [
    "its network cut",
    () => run("ip", ["-n", SWITCH.netns, "link", "set", labHost("web-01").veth, "down"]),
    () => run("ip", ["-n", SWITCH.netns, "link", "set", labHost("web-01").veth, "up"]),
    true,
  ],
  [
    "nginx and the app frozen (SIGSTOP)",
    () => mustOnHost("web-01", "systemctl kill -s SIGSTOP nginx foobar-app"),
    () => mustOnHost("web-01", "systemctl kill -s SIGCONT nginx foobar-app"),
    true,
  ],
  [
    "the app killed (SIGKILL)",
    () => mustOnHost("web-01", "systemctl kill -s SIGKILL foobar-app"),
    async () => undefined,
    false,
  ],
] as const) {
  test(`web-01 with ${fault} under ab -k -c 50 through the VIP: 0 failed requests`, async () => {
    let detectedMs: number | undefined;
    const scenario = (async () => {
      await sleep(1000);
      const started = Date.now();
      await cause();
      try {
        detectedMs = await detection("web-01", started);
        await sleep(6000);
      } finally {
        await heal();
      }
      assert.ok(await eventually(() => upEverywhere("web-01"), 30_000), "web-01 back in rotation");
    })();
    const totals = await abWhile(AB_SITE, scenario, {
      concurrency: 50,
      batchSize: 1000,
      keepAlive: true,
      maxBatches: 60,
    });
    console.log(
      `  web-01 with ${fault}: ${detectedMs === undefined ? "never out of rotation" : `out of rotation after ${detectedMs} ms`}; ${totals.completed} requests, ${totals.failed} failed, ${totals.non2xx} non-2xx`,
    );
    if (leavesRotation) assert.ok(detectedMs !== undefined, "HAProxy took web-01 out of rotation");
    assert.ok(totals.completed >= 2000, `ab completed ${totals.completed}`);
    assert.is(totals.failed, 0, JSON.stringify(totals));
    assert.is(totals.non2xx, 0, JSON.stringify(totals));
  });
}

test.run();
