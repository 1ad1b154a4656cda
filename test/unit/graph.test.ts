// The topology diagram: derived from the inventory and the firewall rules, and README.md shows the current one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { siteGraph, sitePlayGraph } from "../../playbooks/graph.ts";

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

test("the plays' order: solid arrows for needs, dotted ones for a host's own previous play; README shows the current one", () => {
  const graph = sitePlayGraph("production");
  assert.match(graph, /  p2 --> p3\n/, "the replica waits for the primary");
  assert.match(graph, /  p2 --> p4\n/, "the web tier waits for the primary");
  assert.match(graph, /  p5 --> p6\n/, "the certificate waits for the load balancers");
  assert.match(graph, /  p1 -.-> p5\n/, "the load balancers wait only for their own host metrics");
  assert.not.match(graph, /p4 --> p5/, "the load balancers do not wait for the web tier");
  const readme = readFileSync(join(import.meta.dirname, "../..", "README.md"), "utf8");
  assert.ok(
    readme.includes(`\`\`\`mermaid\n${graph}\`\`\``),
    "README.md's play order is stale: run bin/foobar-infra graph --plays and paste it",
  );
});

test.run();
