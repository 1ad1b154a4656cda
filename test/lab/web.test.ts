// Web tier on booted hosts: HTTPS at HAProxy → nginx → app, failover on health checks, idempotence, drift repair, rolling
// deploy and rolling config change under load.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lab/paths.ts";
import { capture } from "../../lab/run-command.ts";
import { siteAddress } from "../../lab/topology.ts";
import { readRelease } from "../../roles/app/release.ts";
import {
  abWhile,
  adminState,
  backgroundLoad,
  changedTaskIds,
  converge,
  eventually,
  freshHosts,
  http,
  mustOnHost,
  SITE_URL,
  type Converge,
} from "./harness.ts";

/** Users' requests: https://www.foobar.com/ (http:// only redirects, see hardening.test.ts). */
const SITE = SITE_URL;
/** ab cannot be told where a name resolves: it goes to the VIP (it does not check certificates). */
const AB_SITE = `https://${siteAddress()}/`;
const LIMIT = ["-l", "lb,web"];
const scratch = mkdtempSync(join(tmpdir(), "web-test-"));

async function servedBy(count: number): Promise<string[]> {
  const servers: string[] = [];
  for (let index = 0; index < count; index++) {
    const reply = await http(SITE);
    assert.is(reply.status, 200, `request ${index}: ${reply.status} ${reply.body.slice(0, 200)}`);
    servers.push(String(reply.headers["x-served-by"]));
  }
  return servers;
}

async function deploy(buildDir: string, options: string[] = []) {
  const result = await capture(
    process.execPath,
    [
      "--import",
      "tsx",
      join(REPO_ROOT, "playbooks/deploy.ts"),
      "-i",
      "lab",
      "--build",
      buildDir,
      "--health-timeout",
      "20",
      ...options,
    ],
    { cwd: REPO_ROOT },
  );
  return { code: result.code, output: `${result.stdout}\n${result.stderr}` };
}

/** The release each web host serves through the LB, asked until both have answered 200 (a host a test just restarted
 *  rejoins the rotation after HAProxy's rise checks) or 100 requests went out; a reply other than 200 is kept as such. */
async function versionsThroughLb(): Promise<Record<string, string>> {
  const versions: Record<string, string> = {};
  for (let index = 0; index < 100 && Object.keys(versions).length < 2; index++) {
    const reply = await http(`${SITE}health`);
    if (reply.status === 200) versions[String(reply.headers["x-served-by"])] = JSON.parse(reply.body).version;
    else versions[`HTTP ${reply.status}`] = reply.body.slice(0, 80);
    if (index >= 5) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return versions;
}

test.before(async () => {
  await freshHosts("lb-01", "web-01", "web-02");
  // The apps' health includes the database: converged already when the whole suite runs, not when this file runs alone.
  const database = await converge("site", ["-l", "db_primary,db_replica"]);
  assert.is(database.exitCode, 0, database.output);
});

test.after(() => rmSync(scratch, { recursive: true, force: true }));

test("converge serves www.foobar.com through lb-01, alternating web-01 and web-02 (roundrobin)", async () => {
  const first = await converge("site", LIMIT);
  assert.is(first.exitCode, 0, first.output);
  assert.ok(await eventually(async () => new Set(await servedBy(4)).size === 2, 15_000), "both web hosts serve");
  const servers = await servedBy(10);
  servers.forEach(
    (server, index) =>
      index > 0 && assert.is.not(server, servers[index - 1], `alternation broken: ${servers.join(",")}`),
  );
  assert.equal(new Set(servers), new Set(["web-01", "web-02"]));
  const health = await http(`${SITE}health`);
  assert.equal(JSON.parse(health.body).status, "ok");
  const asset = await http(`${SITE}static/style.css`);
  assert.is(asset.status, 200);
  assert.match(String(asset.headers["cache-control"]), /max-age=\d+/);
  assert.ok(asset.headers["x-served-by"], "static assets carry X-Served-By too");
});

test("second run: 0 changed", async () => {
  const second = await converge("site", LIMIT);
  assert.is(second.exitCode, 0, second.output);
  assert.is(second.changed, 0, second.changedTasks.join("\n"));
});

test("nginx stopped on web-01: after detection web-02 serves every request; back to both after a start", async () => {
  await mustOnHost("web-01", "systemctl stop nginx");
  const detected = await eventually(
    async () => (await servedBy(4)).every((server) => server === "web-02"),
    20_000,
    200,
  );
  assert.ok(detected, "HAProxy took web-01 out within the health-check window");
  const load = backgroundLoad(SITE, { maxRequests: 60 });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  const result = await load.stop();
  assert.is(result.failed, 0, result.failures.join("; "));
  assert.equal(Object.keys(result.servedBy), ["web-02"]);
  await mustOnHost("web-01", "systemctl start nginx");
  assert.ok(await eventually(async () => new Set(await servedBy(4)).size === 2, 20_000), "web-01 back in rotation");
});

test("drift (edited nginx site, stopped haproxy, changed app unit): --check lists it, converge repairs it, only the right handlers fire", async () => {
  await mustOnHost("web-01", "echo '# drift' >> /etc/nginx/sites-available/foobar");
  await mustOnHost("lb-01", "systemctl stop haproxy");
  await mustOnHost(
    "web-02",
    "sed -i 's/^RestartSec=.*/RestartSec=9/' /etc/systemd/system/foobar-app.service && systemctl daemon-reload",
  );
  const check = await converge("site", [...LIMIT, "--check"]);
  assert.is(check.exitCode, 2, check.output);
  const expected = [
    "lb-01: service:haproxy",
    "web-01: template:/etc/nginx/sites-available/foobar",
    "web-02: systemd_unit:foobar-app.service",
  ];
  assert.equal(changedTaskIds(check.events, "tasks").sort(), expected);
  const repair = await converge("site", LIMIT);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(changedTaskIds(repair.events, "tasks").sort(), expected);
  assert.equal(changedTaskIds(repair.events, "handlers").sort(), ["web-01: reload nginx", "web-02: restart app"]);
  assert.is((await converge("site", [...LIMIT, "--check"])).exitCode, 0);
  assert.match(
    await mustOnHost("web-02", "systemctl show -p NRestarts,ActiveState foobar-app.service"),
    /ActiveState=active/,
  );
  assert.ok(await eventually(async () => new Set(await servedBy(4)).size === 2, 15_000));
});

test("an extra HAProxy line that HAProxy rejects: the run fails with its message, the live config stays, lb-01 keeps serving", async () => {
  const before = await mustOnHost("lb-01", "sha256sum /etc/haproxy/haproxy.cfg");
  const bad = await converge("test/lab/playbooks/haproxy-bad-extra.ts");
  assert.is(bad.exitCode, 1, bad.output);
  assert.match(bad.output, /no-such-option-here/);
  assert.is(await mustOnHost("lb-01", "sha256sum /etc/haproxy/haproxy.cfg"), before);
  assert.equal(new Set(await servedBy(4)), new Set(["web-01", "web-02"]));
});

test("rolling deploy under ab load (50 concurrent): 0 failed or non-2xx, both hosts end on the new release", async () => {
  const release = join(scratch, "ab-release");
  cpSync(join(REPO_ROOT, "app/dist"), release, { recursive: true });
  writeFileSync(join(release, "public/release-note.txt"), "release rolled under ab\n");
  let rolled: Awaited<ReturnType<typeof deploy>> | undefined;
  const totals = await abWhile(
    AB_SITE,
    deploy(release).then((result) => (rolled = result)),
    { concurrency: 50, batchSize: 1000 },
  );
  assert.is(rolled?.code, 0, rolled?.output);
  assert.ok(totals.completed >= 1000, `ab completed ${totals.completed}`);
  assert.is(totals.failed, 0, JSON.stringify(totals));
  assert.is(totals.non2xx, 0, JSON.stringify(totals));
  const rolledVersion = readRelease(release, REPO_ROOT).version;
  assert.is.not(rolledVersion, readRelease("app/dist", REPO_ROOT).version, "the release note made it a new release");
  assert.equal(await versionsThroughLb(), { "web-01": rolledVersion, "web-02": rolledVersion });
});

test("a web tier config change through site.ts under ab load (50 concurrent): one host restarts at a time, 0 failed or non-2xx", async () => {
  // The app's unit edited on both hosts: the converge rewrites it and restarts the app, serial 1, while ab runs via the VIP.
  for (const host of ["web-01", "web-02"])
    await mustOnHost(
      host,
      "sed -i 's/^RestartSec=.*/RestartSec=9/' /etc/systemd/system/foobar-app.service && systemctl daemon-reload",
    );
  let run: Converge | undefined;
  const totals = await abWhile(
    AB_SITE,
    converge("site", LIMIT).then((result) => (run = result)),
    { concurrency: 50, batchSize: 1000 },
  );
  assert.is(run?.exitCode, 0, run?.output);
  assert.equal(changedTaskIds(run!.events, "handlers").sort(), ["web-01: restart app", "web-02: restart app"]);
  const webPlays = run!.events
    .flatMap((event) => (event.type === "host-play" && event.play.startsWith("web tier") ? [event] : []))
    .sort((a, b) => a.startedAt - b.startedAt);
  assert.is(webPlays.length, 2);
  assert.ok(
    webPlays[1]!.startedAt >= webPlays[0]!.startedAt + webPlays[0]!.durationMs,
    `${webPlays[1]!.host} started its web play while ${webPlays[0]!.host} was in it`,
  );
  assert.ok(totals.completed >= 1000, `ab completed ${totals.completed}`);
  assert.is(totals.failed, 0, JSON.stringify(totals));
  assert.is(totals.non2xx, 0, JSON.stringify(totals));
});

test("deploy --check of a new release: the plan host by host, exit 2; no host drained, nothing changed", async () => {
  const next = join(scratch, "checked");
  cpSync(join(REPO_ROOT, "app/dist"), next, { recursive: true });
  writeFileSync(join(next, "public/release-note.txt"), "a release only checked\n");
  const before = await versionsThroughLb();
  const seen = new Set<string>();
  let checking = true;
  const watch = (async () => {
    while (checking) {
      for (const server of ["web-01", "web-02"]) seen.add(`${server}=${await adminState("lb-01", server)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  const checked = await deploy(next, ["--check"]).finally(() => (checking = false));
  await watch;
  assert.is(checked.code, 2, checked.output);
  for (const name of ["web-01", "web-02"])
    assert.match(
      checked.output,
      new RegExp(`${name}: runs \\S+; would drain it in HAProxy on lb-01, lb-02, switch it to r-`),
    );
  assert.match(
    checked.output,
    /--check: would deploy r-\S+ from \S+ to web-01, web-02, one at a time; nothing is changed/,
  );
  assert.equal([...seen].sort(), ["web-01=ready", "web-02=ready"], "no host was drained while --check ran");
  assert.equal(await versionsThroughLb(), before, "both hosts still serve the release they had");
});

test("rolling deploy under load: no request fails; a broken release stops at the first host, the others keep serving", async () => {
  const good = join(scratch, "good");
  cpSync(join(REPO_ROOT, "app/dist"), good, { recursive: true });
  writeFileSync(join(good, "public/release-note.txt"), "second release\n");
  const load = backgroundLoad(SITE, { intervalMs: 10, maxRequests: 3000 });
  const rolled = await deploy(good);
  const duringGood = await load.stop();
  assert.is(rolled.code, 0, rolled.output);
  assert.is(duringGood.failed, 0, duringGood.failures.slice(0, 5).join("; "));
  const versions = await versionsThroughLb();
  assert.equal(Object.keys(versions).sort(), ["web-01", "web-02"]);
  assert.is(versions["web-01"], versions["web-02"]);
  const goodVersion = versions["web-01"]!;

  const broken = join(scratch, "broken");
  cpSync(good, broken, { recursive: true });
  writeFileSync(join(broken, "server.js"), "console.error('release is broken'); process.exit(1);\n");
  const load2 = backgroundLoad(SITE, { intervalMs: 10, maxRequests: 3000 });
  const failed = await deploy(broken);
  const duringBroken = await load2.stop();
  assert.is(failed.code, 1, failed.output);
  assert.match(failed.output, /web-01: FAILED/);
  assert.is.not(failed.output.includes("web-02: drained"), true, "the deploy must stop before web-02");
  assert.is(duringBroken.failed, 0, duringBroken.failures.slice(0, 5).join("; "));
  assert.equal(await versionsThroughLb(), { "web-02": goodVersion });

  const repaired = await deploy(good);
  assert.is(repaired.code, 0, repaired.output);
  assert.ok(
    await eventually(async () => Object.keys(await versionsThroughLb()).length === 2, 15_000),
    "web-01 back after redeploying the good release",
  );
});

test.run();
