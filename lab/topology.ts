// The lab's hosts and switch, derived from the `lab` environment of hosts.ts.
import inventory from "../hosts.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import type { Inventory } from "../lib/inventory/types.ts";
import { LAB_PREFIX, LAB_SUFFIX } from "./environment/instance.ts";

export { ACME_PORTS, APT_PROXY_PORT, GATEWAY } from "./environment/gateway.ts";
/** The namespace holding the bridge every host plugs into. */
export const SWITCH = {
  netns: `clab${LAB_SUFFIX}`,
  bridge: "cbr0",
  address: `${LAB_PREFIX}.1`,
  mac: "02:56:00:00:00:01",
} as const;
export const SUBNET = `${LAB_PREFIX}.0/24`;
export const SITE_NAMES = ["www.foobar.com", "foobar.com"];

export interface LabHost {
  name: string;
  address: string;
  /** Network namespace the host's eth0 lives in. */
  netns: string;
  /** Bridge-side veth name (≤ 15 chars). */
  veth: string;
  /** Fixed MAC of the host's eth0, last octet = last address octet, so ARP stays right across resets. */
  mac: string;
}

function macFor(address: string): string {
  const last = Number(address.split(".").at(-1));
  return `02:57:00:00:00:${last.toString(16).padStart(2, "0")}`;
}

let loaded: Inventory | undefined;
/** The `lab` environment of hosts.ts, loaded once per process (the test harness asks for the site's address per request). */
function labInventory(): Inventory {
  loaded ??= loadInventory(inventory, "lab");
  return loaded;
}

/** The address the site's names resolve to in the lab: the load balancers' virtual IP (hosts.ts, keepalived.vip). */
export function siteAddress(): string {
  const vip = (labInventory().vars.keepalived as { vip?: unknown } | undefined)?.vip;
  if (typeof vip !== "string" || !vip.startsWith(`${LAB_PREFIX}.`)) {
    throw new Error(
      `hosts.ts: the lab environment needs vars.keepalived.vip inside the lab subnet ${SUBNET} (found ${String(vip)})`,
    );
  }
  return vip;
}

/** The lab's record of a host: its namespace, veth and MAC follow from its name and address. */
export function labHostFor(name: string, address: string): LabHost {
  return {
    name,
    address,
    netns: `lab${LAB_SUFFIX}-${name}`,
    veth: `ve${LAB_SUFFIX}-${name}`.slice(0, 15),
    mac: macFor(address),
  };
}

/** Every host of the lab environment, in inventory order. */
export function labHosts(): LabHost[] {
  const lab = labInventory();
  return lab.hosts.map((host) => {
    if (!host.address.startsWith(`${LAB_PREFIX}.`)) {
      throw new Error(`hosts.ts: lab host ${host.name} has address ${host.address}, outside the lab subnet ${SUBNET}`);
    }
    return labHostFor(host.name, host.address);
  });
}

/** One lab host by name, with a clear error naming the known ones. */
export function labHost(name: string): LabHost {
  const hosts = labHosts();
  const found = hosts.find((host) => host.name === name);
  if (!found) throw new Error(`no lab host "${name}" (lab hosts: ${hosts.map((host) => host.name).join(", ")})`);
  return found;
}

/** The names of the lab's database hosts (groups db_primary and db_replica): they boot the lab database's image. */
export function labDbHosts(): string[] {
  const groups = labInventory().groups;
  return ["db_primary", "db_replica"].flatMap((group) => groups[group]?.hosts ?? []);
}
