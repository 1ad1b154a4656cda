// The topology diagram: derived from the inventory and the firewall rules, and README.md shows the current one.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { siteGraph } from "../../playbooks/graph.ts";

test("the diagram has every host, the allowed paths and nothing the firewall forbids", () => {
  const graph = siteGraph("production");
  for (const name of ["lb_01", "lb_02", "web_01", "web_02", "db_01", "db_02"]) assert.match(graph, new RegExp(`${name}\\["`));
  assert.match(graph, /users -->\|80, 443\| vip\n  vip -.-> lb_01\n  vip -.-> lb_02\n/, "users reach the load balancers through the VIP");
  assert.match(graph, /lb_01 <-.->\|VRRP\| lb_02/);
  assert.match(graph, /lb_01 -->\|80\| web_01/);
  assert.match(graph, /web_02 -->\|3306\| db_01/);
  assert.not.match(graph, /users -->\|[^|]*\| (web|db)_/, "users reach only the load balancer");
  assert.not.match(graph, /lb_01 -->\|3306\|/, "the load balancer does not reach the databases");
});

test("README.md and docs/architecture.md embed the current diagram", () => {
  for (const file of ["README.md", "docs/architecture.md"]) {
    const text = readFileSync(join(import.meta.dirname, "../..", file), "utf8");
    assert.ok(text.includes(`\`\`\`mermaid\n${siteGraph("production")}\`\`\``), `${file}'s diagram is stale: run npx tsx playbooks/graph.ts and paste it`);
  }
});

test.run();
