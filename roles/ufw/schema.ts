// Vars of the ufw role: the JSON schema checked before any connection, and its TypeScript type.

/** A source: "any", an IPv4/IPv6 address or a CIDR. */
export type Source = string;

export interface ExtraRule {
  /** A port "8080" or a range "6000:6007" (ufw's syntax; a range needs a protocol, which every rule has). */
  port: string;
  proto: "tcp" | "udp";
  from: Source;
}

/** Inbound ports a tier opens, to anyone or to the hosts of other groups. */
export interface TierRule {
  /** Hosts of this inventory group get the rule ("all": every host). */
  group: string;
  /** TCP ports (UDP with proto "udp"); none with proto "vrrp", which has no ports. */
  ports?: number[];
  /** Default "tcp". */
  proto?: "tcp" | "udp" | "vrrp";
  /** "any", or inventory groups whose hosts' private addresses may connect (the host itself is left out). */
  from: "any" | string[];
}

export interface UfwVars {
  /** Who may open SSH connections (the host's SSH port from the inventory): "any" or addresses/CIDRs. */
  ssh_allow_from: Source[];
  /** Per-tier rules derived from the inventory groups (defaults: lb 80/443 from any, web 80 from lb, db 3306 from web and the replica). */
  tier_rules: TierRule[];
  /** More inbound allow rules for this host or group. */
  extra_rules: ExtraRule[];
}

const ipv4 = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";
/** "any", IPv4 with an optional /0-32, or IPv6 (hex and colons) with an optional /0-128. */
export const SOURCE_PATTERN = `^(any|${ipv4}(/(3[0-2]|[12]?[0-9]))?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;
const port = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
export const PORT_PATTERN = `^${port}(:${port})?$`;

const source = { type: "string", pattern: SOURCE_PATTERN } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["ssh_allow_from", "tier_rules", "extra_rules"],
  properties: {
    ssh_allow_from: { type: "array", minItems: 1, items: source },
    tier_rules: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["group", "from"],
        properties: {
          group: { type: "string", minLength: 1 },
          ports: { type: "array", minItems: 1, items: { type: "integer", minimum: 1, maximum: 65535 } },
          proto: { enum: ["tcp", "udp", "vrrp"] },
          from: { anyOf: [{ const: "any" }, { type: "array", minItems: 1, items: { type: "string", minLength: 1 } }] },
        },
        // VRRP has no ports; TCP and UDP rules need them.
        if: { required: ["proto"], properties: { proto: { const: "vrrp" } } },
        then: { properties: { ports: false } },
        else: { properties: { ports: true }, required: ["ports"] },
      },
    },
    extra_rules: {
      type: "array",
      items: {
        type: "object",
        additionalProperties: false,
        required: ["port", "proto", "from"],
        properties: {
          port: { type: "string", pattern: PORT_PATTERN },
          proto: { enum: ["tcp", "udp"] },
          from: source,
        },
      },
    },
  },
} as const;
