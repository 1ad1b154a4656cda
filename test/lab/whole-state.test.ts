// The whole running state: a foreign rule admitting traffic anywhere in the kernel's ruleset (iptables, ip6tables, an nft
// table of its own) and HAProxy server fields changed at runtime are named by --check, repaired, and gone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { parseBackend } from "../../roles/haproxy/server-state-resource.ts";
import { runtimeCommand } from "../../roles/haproxy/runtime.ts";
import { changedTaskIds, converge, host, mustOnHost, onHost } from "./harness.ts";

const HOSTS = ["-l", "db-01,lb-01"];
const summaries = (events: RunEvent[]) =>
  events.flatMap((event) =>
    event.type === "task" && event.status === "changed"
      ? (event.changes ?? []).map((change) => `${event.host}: ${change.summary}`)
      : [],
  );
const reaches = async (from: string, to: string, port: number) =>
  (await onHost(from, `nc -z -w 3 ${host(to).privateAddress} ${port}`)).code === 0;
const servers = async (lb: string) =>
  parseBackend(await mustOnHost(lb, runtimeCommand("show servers state foobar_web; show stat -1 4 -1")));

test.before(async () => {
  const site = await converge("site", HOSTS);
  assert.is(site.exitCode, 0, site.output);
});

test("foreign ACCEPT rules outside ufw's chains (IPv4, IPv6, an nft table) and changed HAProxy server fields: --check names each, a converge repairs them, the next --check exits 0", async () => {
  const web01 = host("web-01").privateAddress;
  const web02 = host("web-02").privateAddress;
  assert.not.ok(await reaches("mon-01", "db-01", 3306), "mon-01 -> db-01:3306 closed to begin with");
  await mustOnHost(
    "db-01",
    [
      "iptables -w -I INPUT 1 -p tcp --dport 3306 -j ACCEPT",
      "ip6tables -w -I INPUT 1 -p tcp --dport 3306 -j ACCEPT",
      "nft add table inet by_hand",
      "nft add chain inet by_hand in '{ type filter hook input priority -10; policy accept; }'",
      "nft add rule inet by_hand in tcp dport 3306 accept",
    ].join(" && "),
  );
  assert.ok(await reaches("mon-01", "db-01", 3306), "the hand's rule admits mon-01 to the database port");
  await mustOnHost("lb-01", runtimeCommand(`set server foobar_web/web-02 addr ${web01}`));
  await mustOnHost("lb-01", runtimeCommand("set maxconn server foobar_web/web-01 1"));
  const expected = ["db-01: firewall:kernel-ruleset", "lb-01: haproxy-servers:foobar_web"];

  const check = await converge("site", [...HOSTS, "--check"]);
  assert.is(check.exitCode, 2, check.output);
  assert.equal(changedTaskIds(check.events, "tasks").sort(), expected);
  const named = summaries(check.events).join("\n");
  for (const drift of [
    /db-01: delete foreign rule ip filter INPUT: (ip protocol tcp )?tcp dport 3306 accept \(handle \d+\)/,
    /db-01: delete foreign rule ip6 filter INPUT: (meta l4proto tcp )?tcp dport 3306 accept \(handle \d+\)/,
    /db-01: delete foreign rule inet by_hand in: tcp dport 3306 accept \(handle \d+\)/,
    new RegExp(`lb-01: web-02: address ${web01.replaceAll(".", "\\.")}:80 -> ${web02.replaceAll(".", "\\.")}:80`),
    /lb-01: web-01: maxconn 1 -> 0/,
  ])
    assert.match(named, drift, `--check names ${drift}:\n${named}`);

  const repair = await converge("site", HOSTS);
  assert.is(repair.exitCode, 0, repair.output);
  assert.equal(changedTaskIds(repair.events, "tasks").sort(), expected);
  const again = await converge("site", [...HOSTS, "--check"]);
  assert.is(again.exitCode, 0, again.changedTasks.join("\n"));
  assert.not.ok(await reaches("mon-01", "db-01", 3306), "mon-01 -> db-01:3306 closed again");
  assert.ok(await reaches("web-01", "db-01", 3306), "the site's own rule still admits web-01");
  assert.equal(
    (await servers("lb-01")).map(
      (server) => `${server.name} ${server.address}:${server.port} maxconn ${server.maxconn}`,
    ),
    [`web-01 ${web01}:80 maxconn 0`, `web-02 ${web02}:80 maxconn 0`],
  );
});

test.run();
