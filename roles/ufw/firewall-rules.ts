// The inbound rules of one host: SSH first, then its tiers' rules from the inventory groups, then extra rules.
import type { Host, Inventory } from "../../lib/inventory/types.ts";
import type { UfwRule } from "../../lib/resources/ufw.ts";
import type { Source, UfwVars } from "./schema.ts";

/** ufw stores a CIDR by its network address and a /32 (/128) as the bare address: write it that way so plans compare. */
export function canonicalSource(source: Source): string {
  if (source === "any" || !source.includes("/")) return source;
  const [address, bits] = source.split("/") as [string, string];
  const prefix = Number(bits);
  if (address.includes(":")) return prefix === 128 ? address : source;
  if (prefix === 32) return address;
  const value = address.split(".").reduce((sum, octet) => sum * 256 + Number(octet), 0);
  const network = prefix === 0 ? 0 : Math.floor(value / 2 ** (32 - prefix)) * 2 ** (32 - prefix);
  return `${[24, 16, 8, 0].map((shift) => Math.floor(network / 2 ** shift) % 256).join(".")}/${prefix}`;
}

function unique(rules: UfwRule[]): UfwRule[] {
  const seen = new Set<string>();
  return rules.filter((rule) => {
    const key = `${rule.proto} ${rule.port ?? "-"} ${rule.from}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function firewallRules(vars: UfwVars, host: Host, inventory: Inventory): UfwRule[] {
  const ssh = vars.ssh_allow_from.map((from) => ({
    port: String(host.ssh.port),
    proto: "tcp" as const,
    from: canonicalSource(from),
  }));
  const tiers = vars.tier_rules
    .filter((tier) => host.groups.includes(tier.group) || (tier.group === "all" && !("all" in inventory.groups)))
    .flatMap((tier): UfwRule[] => {
      // A source group the inventory does not have (e.g. no monitoring host) opens nothing.
      const peers =
        tier.from === "any"
          ? []
          : tier.from.filter((group) => group in inventory.groups).flatMap((group) => inventory.group(group));
      const sources =
        tier.from === "any"
          ? ["any"]
          : peers.filter((peer) => peer.name !== host.name).map((peer) => peer.privateAddress);
      const proto = tier.proto ?? "tcp";
      if (proto === "vrrp") return sources.map((from) => ({ proto, from }));
      return (tier.ports ?? []).flatMap((port) => sources.map((from) => ({ port: String(port), proto, from })));
    });
  const extra = vars.extra_rules.map((rule) => ({ ...rule, from: canonicalSource(rule.from) }));
  return unique([...ssh, ...tiers, ...extra]);
}
