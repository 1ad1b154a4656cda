// The inventory drawn as a Mermaid flowchart: hosts by tier, what each runs, and the firewall's allowed paths.
import type { Inventory } from "../inventory/types.ts";

export interface TierPath {
  /** Hosts of this group accept the connection ("all": every host)... */
  group: string;
  ports?: number[];
  /** "vrrp" is drawn as a dotted link between the hosts; TCP and UDP as arrows labelled with their ports. */
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

/** The hosts a rule for `group` lands on, as roles/ufw expands it: "all" is every host unless a group has that name. */
function ruleTargets(inventory: Inventory, group: string): string[] {
  if (group === "all" && !(group in inventory.groups)) return inventory.hosts.map((host) => host.name);
  return inventory.groups[group]?.hosts ?? [];
}

/** How a port reads on an arrow: TCP bare ("80"), other protocols suffixed ("53/udp"). */
const portLabel = (port: number, proto: string) => (proto === "tcp" ? String(port) : `${port}/${proto}`);

/**
 * The firewall's allowed paths as Mermaid edges, one per pair of ends: an arrow labelled with every port the rules
 * open from its source to its target, a dotted VRRP link (both ways when both ways are allowed), and users reaching
 * the entry group through the virtual address.
 */
function pathLines(inventory: Inventory, options: GraphOptions): string[] {
  const edges = new Map<string, { kind: "ports" | "vrrp" | "hop"; from: string; to: string; labels: string[] }>();
  const add = (kind: "ports" | "vrrp" | "hop", from: string, to: string, label?: string) => {
    const key = `${kind} ${from} ${to}`;
    const edge = edges.get(key) ?? { kind, from, to, labels: [] };
    if (label !== undefined && !edge.labels.includes(label)) edge.labels.push(label);
    edges.set(key, edge);
  };
  for (const path of options.paths) {
    const targets = ruleTargets(inventory, path.group);
    const proto = path.proto ?? "tcp";
    const labels = (path.ports ?? []).map((port) => portLabel(port, proto));
    const viaEntry = path.from === "any" && options.entry?.group === path.group && proto !== "vrrp";
    if (viaEntry) {
      for (const label of labels) add("ports", "users", "vip", label);
      for (const target of targets) add("hop", "vip", target);
      continue;
    }
    // Like the role: a source group the inventory lacks opens nothing, and a host never gets a rule for itself.
    const sources =
      path.from === "any" ? ["users"] : path.from.flatMap((group) => inventory.groups[group]?.hosts ?? []);
    for (const source of sources)
      for (const target of targets.filter((target) => target !== source)) {
        if (proto === "vrrp") add("vrrp", source, target);
        else for (const label of labels) add("ports", source, target, label);
      }
  }
  const lines: string[] = [];
  for (const { kind, from, to, labels } of edges.values()) {
    const [source, target] = [nodeId(from), nodeId(to)];
    if (kind === "hop") lines.push(`  ${source} -.-> ${target}`);
    if (kind === "ports") lines.push(`  ${source} -->|${labels.join(", ")}| ${target}`);
    if (kind !== "vrrp") continue;
    const bothWays = edges.has(`vrrp ${to} ${from}`);
    if (!bothWays) lines.push(`  ${source} -.->|VRRP| ${target}`);
    else if (from < to) lines.push(`  ${source} <-.->|VRRP| ${target}`);
  }
  return lines;
}

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
  lines.push(...pathLines(inventory, options));
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
