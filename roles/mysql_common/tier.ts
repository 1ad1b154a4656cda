// Who talks to the database, from the inventory: the primary, the replicas, the web hosts (by private address).
import type { Host, Inventory } from "../../lib/inventory/types.ts";

export interface DbTopology {
  primary: Host;
  replicas: Host[];
  webHosts: Host[];
}

export function dbTopology(inventory: Inventory): DbTopology {
  const primary = inventory.group("db_primary")[0];
  if (!primary) throw new Error("the inventory has no host in group db_primary");
  return { primary, replicas: inventory.group("db_replica"), webHosts: inventory.group("web") };
}

/** A stable server id from the host's private address (last octet + 256 × third): unique within a /16. */
export function defaultServerId(host: Host): number {
  const octets = host.privateAddress.split(".").map(Number);
  return octets.length === 4 && octets.every((octet) => Number.isInteger(octet)) ? octets[2]! * 256 + octets[3]! : 1;
}
