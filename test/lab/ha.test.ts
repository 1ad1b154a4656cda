// Load-balancer pair on booted hosts: the VIP on its home, one certificate on both, failover and restore under load, active-active.
import { readFileSync } from "node:fs";
import { connect } from "node:tls";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { paths } from "../../lab/paths.ts";
import { siteAddress, SITE_NAMES } from "../../lab/topology.ts";
import { ACME_CA_BUNDLE } from "../../roles/certbot/index.ts";
import keepalived from "../../roles/keepalived/index.ts";
import { SYNC_KEY } from "../../roles/haproxy/peers.ts";
import {
  backgroundLoad,
  converge,
  eventually,
  freshHosts,
  host,
  mustOnHost,
  SITE_URL,
  type LoadResult,
} from "./harness.ts";
import { SECOND_VIP } from "./playbooks/lb-active-active.ts";

const VIP = siteAddress();
const LBS = ["lb-01", "lb-02"];
const ACTIVE_ACTIVE = "test/lab/playbooks/lb-active-active.ts";
/**
 * The product's promise (docs/site.md): the backup holds the VIP within 3 s of the master's HAProxy stopping. Two failed
 * checks a second apart put the master in FAULT 1-2 s after HAProxy stops (by where in the interval it stopped), and
 * its priority-0 advert hands the VIP over without waiting out the master-down timer: 2 s at worst, so the bound
 * leaves 1 s for a loaded machine. Timed from a watcher that is polling already (takeoverTime), to within 50 ms.
 */
const TAKEOVER_BOUND_MS = 3000;
/** 50 concurrent clients, a few thousand requests at most. */
const LOAD = { concurrency: 50, maxRequests: 6000, intervalMs: 0 };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const holds = async (name: string, vip: string) => (await mustOnHost(name, "ip -o -4 addr show")).includes(` ${vip}/`);

async function holders(vip: string): Promise<string[]> {
  const result: string[] = [];
  for (const name of LBS) if (await holds(name, vip)) result.push(name);
  return result;
}

/** SHA-256 fingerprint of the certificate `address` presents for www.foobar.com, verified against the lab's ACME root. */
function servedCertificate(address: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(
      {
        host: address,
        port: 443,
        servername: SITE_NAMES[0],
        ca: readFileSync(paths.pebbleRoot, "utf8"),
        timeout: 5000,
      },
      () => {
        resolve(socket.getPeerCertificate().fingerprint256);
        socket.end();
      },
    );
    socket.on("error", reject).on("timeout", () => socket.destroy(new Error(`timeout: ${address}:443`)));
  });
}

/** Where a watcher on a load balancer marks that it is polling (takeoverTime). */
const WATCHING_MARK = "/run/foobar-ha-test-watching";

/**
 * On `name`, wait (≤ 10 s) until it holds every VIP; its clock's ms when it did (the hosts share this machine's
 * clock). `ready` resolves once the watcher polls and has seen the VIPs not all held yet: a takeover from then on is
 * timed from the 50 ms poll, so a measured time is at most 50 ms late (plus one `ip` run).
 */
function takeoverTime(name: string, vips: string[]): { ready: Promise<void>; takenAt: Promise<number> } {
  const all = vips.map((vip) => `ip -o -4 addr show | grep -q ' ${vip}/'`).join(" && ");
  const script = [
    `rm -f ${WATCHING_MARK}`,
    `if ${all}; then echo "${name} already holds the VIPs" >&2; exit 1; fi`,
    `touch ${WATCHING_MARK}`,
    `end=$(( $(date +%s) + 10 )); until ${all}; do [ "$(date +%s)" -lt "$end" ] || exit 1; sleep 0.05; done; date +%s%3N`,
  ].join("\n");
  const takenAt = mustOnHost(name, script).then(Number);
  takenAt.catch(() => {}); // awaited by the caller once ready; a watcher that fails first is reported by `ready`
  const ready = (async () => {
    const watching = await eventually(
      async () => (await mustOnHost(name, `test -e ${WATCHING_MARK} && echo yes || true`)).trim() === "yes",
      10_000,
    );
    assert.ok(watching, `the watcher on ${name} started`);
  })();
  return { ready, takenAt };
}

interface Outage {
  takeoverMs: number;
  loads: LoadResult[];
  /** First and last failed request, relative to the moment HAProxy stopped serving. */
  window?: [number, number];
}

/** The test's load, shared out over `vips`. */
function loadsVia(vips: string[]) {
  const share = { concurrency: LOAD.concurrency / vips.length, maxRequests: LOAD.maxRequests / vips.length };
  return vips.map((via) => backgroundLoad(SITE_URL, { ...LOAD, ...share, via }));
}

/** Under load on `vips`, make lb-01's HAProxy stop serving (`breakCommand`), wait for lb-02 to hold every VIP, keep loading 3 s. */
async function failover(vips: string[], breakCommand: string): Promise<Outage> {
  const loads = loadsVia(vips);
  await sleep(1500);
  const watcher = takeoverTime("lb-02", vips);
  await watcher.ready;
  const brokeAt = Number(await mustOnHost("lb-01", `date +%s%3N; ${breakCommand}`));
  const takenAt = await watcher.takenAt;
  await sleep(3000);
  const results = await Promise.all(loads.map((load) => load.stop()));
  const times = results.flatMap((result) => result.failureTimes).sort((a, b) => a - b);
  const outage: Outage = {
    takeoverMs: takenAt - brokeAt,
    loads: results,
    ...(times.length > 0 ? { window: [times[0]! - brokeAt, times.at(-1)! - brokeAt] } : {}),
  };
  const failed = results.reduce((sum, result) => sum + result.failed, 0);
  const sent = results.reduce((sum, result) => sum + result.sent, 0);
  console.log(
    `  failover (${vips.join(" + ")}): lb-02 held the VIPs ${outage.takeoverMs} ms after lb-01 stopped serving; ${failed} of ${sent} requests failed${outage.window ? `, started between ${outage.window[0]} and ${outage.window[1]} ms after` : ""}`,
  );
  return outage;
}

/** Under load on `vips`, make lb-01 serve again (`repairCommand`) and wait until its checks pass; nothing may fail, no VIP may move. */
async function restore(vips: string[], repairCommand: string): Promise<LoadResult[]> {
  const loads = loadsVia(vips);
  await sleep(1000);
  await mustOnHost("lb-01", repairCommand);
  assert.ok(
    await eventually(
      async () =>
        /\(VI_1\) Entering BACKUP STATE/.test(
          await mustOnHost("lb-01", "journalctl -u keepalived --since '-30 s' --no-pager"),
        ),
      15_000,
    ),
    "lb-01 back to BACKUP",
  );
  await sleep(3000);
  const results = await Promise.all(loads.map((load) => load.stop()));
  console.log(
    `  restore (${vips.join(" + ")}): ${results.reduce((sum, result) => sum + result.failed, 0)} of ${results.reduce((sum, result) => sum + result.sent, 0)} requests failed`,
  );
  return results;
}

function assertOutageBounded(outage: Outage): void {
  assert.ok(
    outage.takeoverMs <= TAKEOVER_BOUND_MS,
    `lb-02 took ${outage.takeoverMs} ms to hold the VIPs (bound ${TAKEOVER_BOUND_MS} ms)`,
  );
  // A request fails only if it started in the outage: from just before the break (in flight) to just after the takeover (ARP).
  if (outage.window)
    assert.ok(
      outage.window[0] >= -1000 && outage.window[1] <= outage.takeoverMs + 1000,
      `failures outside the outage window: ${outage.window.join(" .. ")} ms`,
    );
}

test.before(async () => {
  await freshHosts(...LBS);
  const first = await converge("site");
  assert.is(first.exitCode, 0, first.output);
});

test("the VIP starts on its home lb-01; both LBs serve the same valid certificate; a second run changes nothing", async () => {
  assert.equal(await holders(VIP), ["lb-01"]);
  const [onLb01, onLb02] = [
    await servedCertificate(host("lb-01").address),
    await servedCertificate(host("lb-02").address),
  ];
  assert.is(onLb02, onLb01, "lb-02 serves the certificate lb-01 obtained");
  assert.is(await servedCertificate(VIP), onLb01);
  assert.is((await converge("site")).changed, 0);
});

test("active-passive: HAProxy stops on the master under load → lb-02 holds the VIP within 3 s; restored, nothing fails", async () => {
  const outage = await failover([VIP], "systemctl stop haproxy");
  assertOutageBounded(outage);
  assert.equal(await holders(VIP), ["lb-02"]);
  const restored = await restore([VIP], "systemctl start haproxy");
  assert.equal(
    restored.map((result) => result.failures),
    [[]],
    "nothing fails while lb-01 comes back",
  );
  assert.equal(await holders(VIP), ["lb-02"], "no second move: lb-02 keeps the VIP (nopreempt)");
  const again = await converge("site");
  assert.is(again.changed, 0, again.changedTasks.join(", "));
});

test("a renewal while lb-02 holds the VIP: the challenge reaches lb-01's certbot, both LBs get the new certificate", async () => {
  assert.equal(await holders(VIP), ["lb-02"]);
  const before = await servedCertificate(VIP);
  await mustOnHost(
    "lb-01",
    `REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} certbot renew --force-renewal --no-random-sleep-on-renew -q`,
  );
  const renewed = await servedCertificate(host("lb-01").address);
  assert.is.not(renewed, before, "a new certificate");
  assert.is(await servedCertificate(host("lb-02").address), renewed, "pushed to lb-02 by the deploy hook");
  assert.is(await servedCertificate(VIP), renewed);
});

test("a push that fails during a renewal is made by the next converge (without one, a no-op opens no connection)", async () => {
  await mustOnHost("lb-01", `rm ${SYNC_KEY}`); // the deploy hook's push to lb-02 fails
  // certbot -q keeps the hook's complaint in its log only (and still exits 0: the renewal itself worked).
  await mustOnHost(
    "lb-01",
    `REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} certbot renew --force-renewal --no-random-sleep-on-renew -q`,
  );
  assert.match(
    await mustOnHost("lb-01", "tail -n 20 /var/log/letsencrypt/letsencrypt.log"),
    /not on: lb-02/,
    "the hook says which load balancer missed it",
  );
  const renewed = await servedCertificate(host("lb-01").address);
  assert.is.not(await servedCertificate(host("lb-02").address), renewed, "lb-02 still serves the previous certificate");
  const repair = await converge("site", ["-l", "lb"]);
  assert.equal(repair.changedTasks.sort(), ["lb-01: command:certificate on lb-02", `lb-01: template:${SYNC_KEY}`]);
  // The installer's `systemctl reload` returns once the new HAProxy worker is asked to start: allow it a moment to serve.
  assert.ok(
    await eventually(async () => (await servedCertificate(host("lb-02").address)) === renewed, 5_000),
    "lb-02 serves the renewed certificate",
  );
  assert.is((await converge("site", ["-l", "lb"])).changed, 0);
});

test("active-active (unicast): each LB holds its home VIP; HAProxy stops on lb-01 → lb-02 holds both within 3 s; restored, nothing fails", async () => {
  const switched = await converge(ACTIVE_ACTIVE);
  assert.is(switched.exitCode, 0, switched.output);
  // A reload keeps each VIP where it is; a start places them on their homes (what a fresh pair does).
  await Promise.all(LBS.map((name) => mustOnHost(name, "systemctl restart keepalived")));
  const restarted = Date.now();
  assert.ok(
    await eventually(
      async () => (await holders(VIP)).join() === "lb-01" && (await holders(SECOND_VIP)).join() === "lb-02",
      30_000,
    ),
    "each VIP on its home",
  );
  // For takeover_delay_seconds after its start, a load balancer takes no VIP homed elsewhere: the pair is ready after that.
  await sleep(Math.max(0, restarted + (keepalived.defaults.takeover_delay_seconds! + 1) * 1000 - Date.now()));
  const outage = await failover([VIP, SECOND_VIP], "systemctl stop haproxy");
  assertOutageBounded(outage);
  assert.equal(outage.loads[1]!.failures, [], "the second VIP's clients never noticed");
  assert.equal([await holders(VIP), await holders(SECOND_VIP)], [["lb-02"], ["lb-02"]]);
  const restored = await restore([VIP, SECOND_VIP], "systemctl start haproxy");
  assert.equal(
    restored.map((result) => result.failures),
    [[], []],
    "nothing fails while lb-01 comes back",
  );
  const again = await converge(ACTIVE_ACTIVE);
  assert.is(again.changed, 0, again.changedTasks.join(", "));
});

test("a frozen HAProxy (the process runs, nothing answers) loses its VIPs too: the check is 'serves', not 'runs'", async () => {
  assert.equal(await holders(VIP), ["lb-02"]);
  const watcher = takeoverTime("lb-01", [VIP, SECOND_VIP]);
  await watcher.ready;
  const frozeAt = Number(await mustOnHost("lb-02", "date +%s%3N; systemctl kill -s SIGSTOP haproxy"));
  try {
    const takenAt = await watcher.takenAt;
    // A frozen HAProxy fails each check by its 0.5 s timeout, not at once: 2-3 s expected, 5 s allowed.
    console.log(`  frozen HAProxy on lb-02: lb-01 held both VIPs ${takenAt - frozeAt} ms later`);
    assert.ok(takenAt - frozeAt <= 5000, `${takenAt - frozeAt} ms`);
  } finally {
    await mustOnHost("lb-02", "systemctl kill -s SIGCONT haproxy");
  }
});

test.after(async () => {
  // Back to the site's active-passive pair for the suites that follow.
  const back = await converge("site", ["-l", "lb"]);
  assert.is(back.exitCode, 0, back.output);
});

test.run();
