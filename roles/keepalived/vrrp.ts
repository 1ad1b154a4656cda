// The VRRP layout of one load balancer: its instances (one per VIP) with priorities, and the interfaces and peers it uses.
import type { HostFacts } from "../../lib/facts/host.ts";
import type { Host, Inventory } from "../../lib/inventory/types.ts";
import type { KeepalivedVars } from "./schema.ts";

export interface VrrpInstance {
  name: string;
  vip: string;
  virtualRouterId: number;
  /** From inventory order, rotated so each VIP's home host ranks first: 150, 140, ... */
  priority: number;
  /** This host is the VIP's first choice (it may take it right after a start; the others wait takeover_delay_seconds). */
  home: boolean;
  homeHost: string;
}

export interface VrrpNetwork {
  device: string;
  vipInterface: string;
  sourceAddress: string;
  /** Unicast transport: the other load balancers' private addresses. */
  peers: string[];
}

const toNumber = (address: string) => address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
const sameSubnet = (a: string, b: string, prefixLength: number) =>
  Math.floor(toNumber(a) / 2 ** (32 - prefixLength)) === Math.floor(toNumber(b) / 2 ** (32 - prefixLength));

/** The hosts sharing the VIPs, with a clear error when this host is not one of them. */
export function loadBalancers(vars: KeepalivedVars, host: Host, inventory: Inventory): Host[] {
  if (!(vars.group in inventory.groups))
    throw new Error(`group "${vars.group}" is not in the inventory (var keepalived.group)`);
  const members = inventory.group(vars.group);
  if (!members.some((member) => member.name === host.name))
    throw new Error(`${host.name} is not in group "${vars.group}" whose hosts share the VIPs (var keepalived.group)`);
  return members;
}

export function vrrpInstances(vars: KeepalivedVars, host: Host, inventory: Inventory): VrrpInstance[] {
  const members = loadBalancers(vars, host, inventory);
  const vips = vars.mode === "active-active" ? [vars.vip, vars.second_vip!] : [vars.vip];
  if (vars.mode === "active-active" && members.length < 2)
    throw new Error(`mode active-active needs two load balancers in group "${vars.group}", found ${members.length}`);
  if (vips[0] === vips[1]) throw new Error(`second_vip must differ from vip (${vars.vip})`);
  const position = members.findIndex((member) => member.name === host.name);
  return vips.map((vip, index) => {
    const rank = (position - index + members.length) % members.length;
    return {
      name: `VI_${index + 1}`,
      vip,
      virtualRouterId: vars.virtual_router_id + index,
      priority: 150 - 10 * rank,
      home: rank === 0,
      homeHost: members[index % members.length]!.name,
    };
  });
}

export function vrrpNetwork(vars: KeepalivedVars, host: Host, facts: HostFacts, inventory: Inventory): VrrpNetwork {
  const peers = loadBalancers(vars, host, inventory)
    .filter((member) => member.name !== host.name)
    .map((member) => member.privateAddress);
  const own = facts.interfaces.find((entry) => entry.address === host.privateAddress);
  const device = vars.vrrp_interface ?? own?.device;
  if (!device)
    throw new Error(
      `no interface of ${host.name} holds its private address ${host.privateAddress} (found ${facts.addresses.join(", ") || "none"}); set keepalived.vrrp_interface`,
    );
  const vipDevice =
    vars.vip_interface ??
    facts.interfaces.find(
      (entry) => entry.address !== vars.vip && sameSubnet(entry.address, vars.vip, vars.vip_prefix_length),
    )?.device ??
    device;
  return { device, vipInterface: vipDevice, sourceAddress: host.privateAddress, peers };
}
