// Scrape targets from the inventory: every exporter the other roles run, by private address, named by host.
import type { Inventory } from "../../lib/inventory/types.ts";

export interface ScrapeJob {
  job: string;
  metricsPath: string;
  targets: { address: string; instance: string }[];
}

const has = (inventory: Inventory, group: string) => group in inventory.groups;
const members = (inventory: Inventory, ...groups: string[]) =>
  groups.filter((group) => has(inventory, group)).flatMap((group) => inventory.group(group));

export function scrapeJobs(
  inventory: Inventory,
  ports: { node: number; nginx: number; mysqld: number; haproxy: number },
): ScrapeJob[] {
  const job = (name: string, hosts: ReturnType<typeof members>, port: number, metricsPath = "/metrics"): ScrapeJob => ({
    job: name,
    metricsPath,
    targets: hosts.map((host) => ({ address: `${host.privateAddress}:${port}`, instance: host.name })),
  });
  return [
    job("node", inventory.hosts, ports.node),
    job("haproxy", members(inventory, "lb"), ports.haproxy),
    job("nginx", members(inventory, "web"), ports.nginx),
    job("mysqld", members(inventory, "db_primary", "db_replica"), ports.mysqld),
  ].filter((scrape) => scrape.targets.length > 0);
}
