// The topology diagram: derived from the inventory and the firewall rules, and README.md shows the current one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventorySpec from "../../hosts.ts";
import { openSynthesis } from "../../lib/docs/synthesis.ts";
import { roleUses, type Play } from "../../lib/dsl/playbook.ts";
import { topologyMermaid, type TierPath } from "../../lib/graph/topology-graph.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import type { UfwState } from "../../lib/resources/ufw.ts";
import { playTargets } from "../../lib/runner/plan.ts";
import { SERVICES, siteGraph, sitePlayGraph } from "../../playbooks/graph.ts";
import { site } from "../../playbooks/site.ts";
import ufw from "../../roles/ufw/index.ts";
import { scratchDir } from "./support/scratch.ts";

const production = loadInventory(inventorySpec, "production");
const synthesise = await openSynthesis(production, scratchDir("graph-"));
const noFirewall: UfwState = {
  installed: true,
  enabled: true,
  inputPolicy: "DROP",
  outputPolicy: "ACCEPT",
  tuples: [],
  storedRules: [],
  loadedRules: [],
};

/**
 * What the ufw role opens on each production host `play` targets, as "source target port/proto" ("source target vrrp"):
 * the source a host, "users" for anyone, "operator" for anyone on the host's SSH port.
 */
function firewallPaths(play: Play): string[] {
  const byAddress = new Map(production.hosts.map((host) => [host.privateAddress, host.name]));
  return playTargets(play, production).flatMap((host) => {
    const firewall = synthesise(play, host.name).resources.find((resource) => resource.id === "ufw:firewall");
    assert.ok(firewall, `${play.name} has no firewall on ${host.name}`);
    return firewall!
      .apply(noFirewall)
      .split("\n")
      .filter((line) => line.startsWith("ufw allow "))
      .map((line) => {
        const [, proto, from, port] = /^ufw allow proto (\S+) from (\S+) to any(?: port (\S+))?$/.exec(line)!;
        const ssh = from === "any" && proto === "tcp" && port === String(host.ssh.port);
        const source = from === "any" ? (ssh ? "operator" : "users") : byAddress.get(from!);
        assert.ok(source, `${host.name} opens to ${from}, which is no host`);
        return `${source} ${host.name} ${port ? `${port}/${proto}` : proto}`;
      });
  });
}

/** The paths a topology diagram draws, in firewallPaths' form; every edge it has must be one it knows. */
function drawnPaths(mermaid: string): string[] {
  const names = new Map(production.hosts.map((host) => [host.name.replace(/[^A-Za-z0-9]/g, "_"), host.name]));
  const host = (id: string) => names.get(id) ?? id;
  const ports = (label: string) => label.split(", ").map((port) => (port.includes("/") ? port : `${port}/tcp`));
  const edges = mermaid.split("\n").filter((line) => /--|-\.-/.test(line));
  const entry = edges.flatMap((line) => /^ {2}vip -\.-> (\w+)$/.exec(line)?.slice(1) ?? []).map(host);
  const readers: [RegExp, (m: string[]) => string[]][] = [
    [
      /^ {2}users -->\|([^|"]+)\| vip$/,
      ([, label]) => entry.flatMap((to) => ports(label!).map((p) => `users ${to} ${p}`)),
    ],
    [
      /^ {2}(\w+) -->\|([^|"]+)\| (\w+)$/,
      ([, from, label, to]) => ports(label!).map((p) => `${host(from!)} ${host(to!)} ${p}`),
    ],
    [
      /^ {2}(\w+) <-\.->\|VRRP\| (\w+)$/,
      ([, a, b]) => [`${host(a!)} ${host(b!)} vrrp`, `${host(b!)} ${host(a!)} vrrp`],
    ],
    [/^ {2}(\w+) -\.->\|VRRP\| (\w+)$/, ([, from, to]) => [`${host(from!)} ${host(to!)} vrrp`]],
    [/^ {2}operator -\.->\|22 SSH\| (.+)$/, ([, to]) => to!.split(" & ").map((id) => `operator ${host(id)} 22/tcp`)],
    // The hops from the virtual address (read with the users' arrow above) and the notes are no firewall paths.
    [/^ {2}vip -\.-> \w+$|^ {2}\w+ -\.->\|"[^"]+"\| \w+$/, () => []],
  ];
  return edges.flatMap((line) => {
    const reader = readers.find(([pattern]) => pattern.test(line));
    assert.ok(reader, `an edge the test cannot read: ${line}`);
    return reader![1](reader![0].exec(line)!);
  });
}

const sorted = (paths: string[]) => [...new Set(paths)].sort();

test("the diagram has every host, the allowed paths and nothing the firewall forbids", () => {
  const graph = siteGraph("production");
  for (const name of ["lb_01", "lb_02", "web_01", "web_02", "db_01", "db_02"])
    assert.match(graph, new RegExp(`${name}\\["`));
  assert.match(
    graph,
    /users -->\|80, 443\| vip\n  vip -.-> lb_01\n  vip -.-> lb_02\n/,
    "users reach the load balancers through the VIP",
  );
  assert.match(graph, /lb_01 <-.->\|VRRP\| lb_02/);
  assert.match(graph, /lb_01 -->\|80\| web_01/);
  assert.match(graph, /web_02 -->\|3306\| db_01/);
  assert.not.match(graph, /users -->\|[^|]*\| (web|db)_/, "users reach only the load balancer");
  assert.not.match(graph, /lb_01 -->\|3306\|/, "the load balancer does not reach the databases");
});

test("README.md and docs/architecture.md embed the current diagram", () => {
  for (const file of ["README.md", "docs/architecture.md"]) {
    const text = readFileSync(join(import.meta.dirname, "../..", file), "utf8");
    assert.ok(
      text.includes(`\`\`\`mermaid\n${siteGraph("production")}\`\`\``),
      `${file}'s diagram is stale: run npx tsx playbooks/graph.ts and paste it`,
    );
  }
});

test("the plays' order: solid arrows for needs, dotted ones for a host's own previous play; docs/how-it-works.md shows the current one", () => {
  const graph = sitePlayGraph("production");
  assert.match(graph, /  p2 --> p3\n/, "the replica waits for the primary");
  assert.match(graph, /  p2 --> p4\n/, "the web tier waits for the primary");
  assert.match(graph, /  p5 --> p6\n/, "the certificate waits for the load balancers");
  assert.match(graph, /  p1 -.-> p5\n/, "the load balancers wait only for their own host metrics");
  assert.not.match(graph, /p4 --> p5/, "the load balancers do not wait for the web tier");
  const page = readFileSync(join(import.meta.dirname, "../..", "docs/how-it-works.md"), "utf8");
  assert.ok(
    page.includes(`\`\`\`mermaid\n${graph}\`\`\``),
    "docs/how-it-works.md's play order is stale: run bin/foobar-infra graph --plays and paste it",
  );
});

test("the diagram draws exactly the paths the site's firewall opens on each production host", () => {
  const plays = site.plays.filter((play) => roleUses(play).some((use) => use.role === ufw));
  assert.ok(plays.length > 0, "no play of site.ts runs the ufw role");
  const opened = sorted(plays.flatMap(firewallPaths));
  assert.ok(opened.includes("mon-01 db-02 9100/tcp"), "the node exporter rule (group all) is among the rules");
  assert.equal(sorted(drawnPaths(siteGraph("production"))), opened);
});

test("every shape of tier rule is drawn as the ufw role expands it: all, any, udp, vrrp, missing groups", () => {
  const rules: TierPath[] = [
    { group: "lb", ports: [80, 443], from: "any" },
    { group: "lb", proto: "vrrp", from: ["lb"] },
    { group: "web", proto: "vrrp", from: ["lb"] },
    { group: "db_primary", proto: "vrrp", from: "any" },
    { group: "all", ports: [123], proto: "udp", from: "any" },
    { group: "all", ports: [9100], from: ["monitoring"] },
    { group: "db_replica", ports: [3306, 33060], from: ["web", "db_replica", "no_such_group"] },
    { group: "monitoring", ports: [9090], from: ["all"] },
    { group: "no_such_group", ports: [8080], from: "any" },
  ];
  const play: Play = { name: "firewall", hosts: "all", roles: [{ role: ufw, vars: { tier_rules: rules } }] };
  const graph = topologyMermaid(production, {
    services: SERVICES,
    paths: rules,
    entry: { group: "lb", label: "VIP" },
  });
  assert.equal(sorted(drawnPaths(graph)), sorted(firewallPaths(play)));
});

test.run();
