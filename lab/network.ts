// The lab's wires: a bridge in its own namespace, the runner's port lab0, one veth + netns per host.
// No default route anywhere and no forwarding: hosts reach 192.168.56.0/24 and nothing else.
import { existsSync } from "node:fs";
import { run, tryRun } from "./run-command.ts";
import { GATEWAY, SWITCH, type LabHost } from "./topology.ts";

const netnsExists = (name: string) => existsSync(`/run/netns/${name}`);
const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);

/** Create the switch namespace, bridge and the runner's lab0 port (idempotent). */
export async function ensureSwitch(): Promise<void> {
  if (!netnsExists(SWITCH.netns)) await run("ip", ["netns", "add", SWITCH.netns]);
  await run("ip", ["netns", "exec", SWITCH.netns, "sysctl", "-q", "-w", "net.ipv4.ip_forward=0"]);
  if (!(await tryRun("ip", ["-n", SWITCH.netns, "link", "show", SWITCH.bridge]))) {
    await run("ip", ["-n", SWITCH.netns, "link", "add", SWITCH.bridge, "type", "bridge"]);
    await run("ip", ["-n", SWITCH.netns, "link", "set", SWITCH.bridge, "address", SWITCH.mac]);
    await run("ip", ["-n", SWITCH.netns, "addr", "add", `${SWITCH.address}/24`, "dev", SWITCH.bridge]);
  }
  await run("ip", ["-n", SWITCH.netns, "link", "set", SWITCH.bridge, "up"]);
  await run("ip", ["-n", SWITCH.netns, "link", "set", "lo", "up"]);
  if (!linkExists(GATEWAY.link)) {
    await run("ip", ["link", "add", GATEWAY.link, "type", "veth", "peer", "name", GATEWAY.peer]);
    await run("ip", ["link", "set", GATEWAY.peer, "netns", SWITCH.netns]);
    await run("ip", ["addr", "add", `${GATEWAY.address}/${GATEWAY.prefix}`, "dev", GATEWAY.link]);
  }
  await run("ip", ["-n", SWITCH.netns, "link", "set", GATEWAY.peer, "master", SWITCH.bridge, "up"]);
  await run("ip", ["link", "set", GATEWAY.link, "up"]);
}

/** Give a host its namespace and an eth0 on the bridge with its fixed MAC and address (idempotent). */
export async function plugHost(host: LabHost): Promise<void> {
  if (!netnsExists(host.netns)) await run("ip", ["netns", "add", host.netns]);
  if (!(await tryRun("ip", ["-n", host.netns, "link", "show", "eth0"]))) {
    await tryRun("ip", ["-n", SWITCH.netns, "link", "del", host.veth]);
    await run("ip", ["link", "add", host.veth, "type", "veth", "peer", "name", "eth0", "netns", host.netns]);
    await run("ip", ["link", "set", host.veth, "netns", SWITCH.netns]);
    await run("ip", ["-n", host.netns, "link", "set", "eth0", "address", host.mac]);
    await run("ip", ["-n", host.netns, "addr", "add", `${host.address}/24`, "dev", "eth0"]);
  }
  await run("ip", ["-n", SWITCH.netns, "link", "set", host.veth, "master", SWITCH.bridge, "up"]);
  await run("ip", ["-n", host.netns, "link", "set", "eth0", "up"]);
  await run("ip", ["-n", host.netns, "link", "set", "lo", "up"]);
  await tryRun("ip", ["neigh", "flush", "dev", GATEWAY.link]);
}

/** Remove a host's namespace (its veth pair goes with it). */
export async function unplugHost(host: LabHost): Promise<void> {
  if (netnsExists(host.netns)) await run("ip", ["netns", "del", host.netns]);
  await tryRun("ip", ["-n", SWITCH.netns, "link", "del", host.veth]);
}

/** Remove lab0 and the switch namespace. */
export async function removeSwitch(): Promise<void> {
  if (linkExists(GATEWAY.link)) await run("ip", ["link", "del", GATEWAY.link]);
  if (netnsExists(SWITCH.netns)) await run("ip", ["netns", "del", SWITCH.netns]);
}

/** Namespaces and links of the lab that exist right now (for status and for leak checks). */
export function presentNetworkParts(hosts: LabHost[]): string[] {
  return [
    ...(netnsExists(SWITCH.netns) ? [`netns ${SWITCH.netns}`] : []),
    ...(linkExists(GATEWAY.link) ? [`link ${GATEWAY.link}`] : []),
    ...hosts.filter((host) => netnsExists(host.netns)).map((host) => `netns ${host.netns}`),
  ];
}
