// The site's order on booted hosts: with the primary unreachable, the plays that need it (the replica, the web tier)
// are skipped naming db-01, while the hosts go as far as they can (the load balancers and monitoring to the end).
import { test } from "uvu";
import * as assert from "uvu/assert";
import { run } from "../../lab/run-command.ts";
import { labHost, SWITCH } from "../../lab/topology.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { converge } from "./harness.ts";

const link = (state: "up" | "down") => run("ip", ["-n", SWITCH.netns, "link", "set", labHost("db-01").veth, state]);
const ran = (events: RunEvent[], host: string, play: string) =>
  events.some((event) => event.type === "host-play" && event.host === host && event.play === play);
const skips = (events: RunEvent[]) =>
  events
    .flatMap((event) =>
      event.type === "task" && event.status === "skipped" ? [`${event.host} [${event.play}]: ${event.message}`] : [],
    )
    .sort();

test.before(async () => {
  const site = await converge("site");
  assert.is(site.exitCode, 0, site.output);
});

test("db-01 unreachable: the replica and the web tier wait for nothing and are skipped naming it; load balancers and monitoring converge", async () => {
  await link("down");
  let cut;
  try {
    cut = await converge("site");
  } finally {
    await link("up");
  }
  assert.is(cut.exitCode, 3, cut.output);
  assert.ok(
    cut.events.some((event) => event.type === "unreachable" && event.host === "db-01"),
    cut.output,
  );
  const primary = 'needs play "database primary", which did not complete on db-01 (unreachable)';
  assert.equal(skips(cut.events), [
    `db-02 [database replica]: ${primary}`,
    `web-01 [web tier: application server and nginx]: ${primary}`,
    `web-02 [web tier: application server and nginx]: ${primary}`,
  ]);
  for (const host of ["lb-01", "lb-02"]) {
    assert.ok(
      ran(cut.events, host, "load balancers: virtual IP") &&
        ran(cut.events, host, "certificates: ACME through HAProxy"),
      `${host} went to the end`,
    );
  }
  assert.ok(ran(cut.events, "mon-01", "monitoring"));
  assert.ok(
    ran(cut.events, "db-02", "host metrics") && ran(cut.events, "web-01", "host metrics"),
    "the waiting hosts went as far as they could",
  );
  assert.equal(cut.recap["db-02"]!.skipped, 1);
  // db-01 back: one converge completes what was skipped (the replica may have to restart its replication).
  const back = await converge("site");
  assert.is(back.exitCode, 0, back.output);
});

test.run();
