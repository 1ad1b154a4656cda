// `npx tsx playbooks/graph.ts [-i ENV] [--plays]`: the topology of hosts.ts as a Mermaid diagram (tiers, addresses,
// allowed paths), or with --plays the order site.ts's plays run in (which play waits for which).
import { parseArgs } from "node:util";
import inventory from "../hosts.ts";
import { playGraphMermaid } from "../lib/graph/play-graph.ts";
import { topologyMermaid } from "../lib/graph/topology-graph.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { isMain } from "../lib/cli/main.ts";
import { playTargets } from "../lib/runner/plan.ts";
import { site } from "./site.ts";
import ufw from "../roles/ufw/index.ts";

export const SERVICES = {
  lb: "HAProxy :80 → 301, :443 TLS, stats :8404 (private); keepalived VRRP; certbot",
  web: "nginx :80 → app 127.0.0.1:3000",
  db_primary: "MariaDB / MySQL primary :3306, binlog + GTID",
  db_replica: "read-only replica :3306, backups",
  monitoring: "Prometheus, Alertmanager, blackbox (loopback only)",
};

/** The diagram README.md embeds (production addresses, the firewall role's default tier rules). */
export function siteGraph(environment = "production"): string {
  const loaded = loadInventory(inventory, environment);
  const vip = (loaded.vars.keepalived as { vip?: string } | undefined)?.vip;
  return topologyMermaid(loaded, {
    services: SERVICES,
    paths: ufw.defaults.tier_rules ?? [],
    ...(vip ? { entry: { group: "lb", label: `www.foobar.com<br/>VIP ${vip}` } } : {}),
    notes: [{ from: "db_replica", to: "db_primary", label: "replication (GTID)" }],
  });
}

/** site.ts's plays in the order they run, with the hosts each targets in `environment`. */
export function sitePlayGraph(environment = "production"): string {
  const loaded = loadInventory(inventory, environment);
  return playGraphMermaid(site, (index) => playTargets(site.plays[index]!, loaded).map((host) => host.name));
}

if (isMain(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      inventory: { type: "string", short: "i", default: "production" },
      plays: { type: "boolean", default: false },
    },
  });
  process.stdout.write(values.plays ? sitePlayGraph(values.inventory) : siteGraph(values.inventory));
}
