// The inventory drawn as a Mermaid flowchart: hosts by tier, what each runs, and the firewall's allowed paths.
import type { Inventory } from "../inventory/types.ts";

export interface TierPath {
  /** Hosts of this group accept the connection... */
  group: string;
  ports?: number[];
  /** "vrrp" is drawn as a dotted link between the hosts; other protocols as arrows labelled with their ports. */
  proto?: string;
  /** ...from anyone ("any") or from these groups' hosts. */
  from: "any" | string[];
}

export interface GraphOptions {
  /** What runs on the hosts of each group, one line. */
  services: Record<string, string>;
  /** Allowed inbound paths (the firewall's tier rules). */
  paths: TierPath[];
  /** Extra labelled edges between groups, e.g. replication. */
  notes?: { from: string; to: string; label: string }[];
  /** A virtual address users reach `group` through (the load balancers' VIP): drawn between users and its hosts. */
  entry?: { group: string; label: string };
}

const nodeId = (name: string) => name.replace(/[^A-Za-z0-9]/g, "_");

export function topologyMermaid(inventory: Inventory, options: GraphOptions): string {
  const lines = ["flowchart LR", "  users((users))", "  operator((operator))"];
  for (const [group, { hosts }] of Object.entries(inventory.groups)) {
    if (hosts.length === 0) continue;
    lines.push(`  subgraph ${nodeId(group)}["${group}: ${options.services[group] ?? ""}"]`);
    for (const name of hosts) {
      const host = inventory.host(name);
      const addresses =
        host.address === host.privateAddress ? host.address : `${host.address} / ${host.privateAddress}`;
      lines.push(`    ${nodeId(name)}["${name}<br/>${addresses}"]`);
    }
    lines.push("  end");
  }
  if (options.entry) lines.push(`  vip(("${options.entry.label}"))`);
  for (const path of options.paths) {
    const targets = inventory.groups[path.group]?.hosts ?? [];
    const label = (path.ports ?? []).join(", ");
    if (path.proto === "vrrp") {
      const peers = path.from === "any" ? targets : path.from.flatMap((group) => inventory.groups[group]?.hosts ?? []);
      for (const target of targets)
        for (const source of peers)
          if (source < target) lines.push(`  ${nodeId(source)} <-.->|VRRP| ${nodeId(target)}`);
      continue;
    }
    if (path.from === "any" && options.entry?.group === path.group) {
      lines.push(`  users -->|${label}| vip`, ...targets.map((target) => `  vip -.-> ${nodeId(target)}`));
      continue;
    }
    if (path.from === "any") {
      for (const target of targets) lines.push(`  users -->|${label}| ${nodeId(target)}`);
      continue;
    }
    for (const group of path.from) {
      for (const source of inventory.groups[group]?.hosts ?? []) {
        for (const target of targets)
          if (source !== target) lines.push(`  ${nodeId(source)} -->|${label}| ${nodeId(target)}`);
      }
    }
  }
  for (const note of options.notes ?? []) {
    for (const source of inventory.groups[note.from]?.hosts ?? []) {
      for (const target of inventory.groups[note.to]?.hosts ?? [])
        lines.push(`  ${nodeId(source)} -.->|"${note.label}"| ${nodeId(target)}`);
    }
  }
  lines.push(
    `  operator -.->|22 SSH| ${Object.values(inventory.groups)
      .flatMap((group) => group.hosts)
      .filter((name, index, all) => all.indexOf(name) === index)
      .map(nodeId)
      .join(" & ")}`,
  );
  return `${lines.join("\n")}\n`;
}
