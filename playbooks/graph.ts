// `npx tsx playbooks/graph.ts [-i ENV] [--plays]`: the topology of hosts.ts as a Mermaid diagram (tiers, addresses,
// allowed paths), or with --plays the order site.ts's plays run in (which play waits for which).
import inventory from "../hosts.ts";
import { playGraphMermaid } from "../lib/graph/play-graph.ts";
import { topologyMermaid } from "../lib/graph/topology-graph.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { parseCli, type CommandOptions } from "../lib/cli/args.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith } from "../lib/cli/steps.ts";
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

/** What graph.ts takes: --plays, and the shared -i; it reads hosts.ts only, so nothing else applies. */
export const GRAPH_COMMAND: CommandOptions = {
  name: "graph.ts",
  extra: { plays: { type: "boolean" } },
  honours: ["environment"],
  refusal: "graph.ts draws hosts.ts and site.ts, it runs nothing",
};

/** graph.ts --help. */
export const GRAPH_HELP = `Usage: npx tsx playbooks/graph.ts [-i ENV] [--plays]     (or bin/foobar-infra graph …)

Prints a Mermaid flowchart on stdout: the hosts of ENV (default production) by tier with the firewall's allowed
paths, or with --plays the plays of site.ts in the order they run and the hosts each targets.
  -i, --inventory NAME       environment of hosts.ts: production (default), lab, vagrant
      --plays                the play order instead of the topology
  -h, --help                 this text
Exit codes: 0 drawn, 4 invalid input.`;

/** The graph command: the topology or the play order of `-i ENV` on stdout. */
export async function graph(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, GRAPH_COMMAND);
  if (cli.help) {
    console.log(GRAPH_HELP);
    return 0;
  }
  process.stdout.write(cli.extra.plays ? sitePlayGraph(cli.environment) : siteGraph(cli.environment));
  return 0;
}

if (isMain(import.meta.url)) exitWith(graph());
