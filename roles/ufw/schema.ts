// Vars of the ufw role, declared once: checked before any connection, typed, documented in README.md.
import { Matching, Name, OneOf, RoleVars, Type, type Static } from "../../lib/dsl/role-vars.ts";

const ipv4 = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";
/** "any", IPv4 with an optional /0-32, or IPv6 (hex and colons) with an optional /0-128. */
const SOURCE_PATTERN = `^(any|${ipv4}(/(3[0-2]|[12]?[0-9]))?|[0-9a-fA-F:]*:[0-9a-fA-F:.]*(/(12[0-8]|1[01][0-9]|[1-9]?[0-9]))?)$`;
const port = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])";
const PORT_PATTERN = `^${port}(:${port})?$`;

const source = Matching(SOURCE_PATTERN, '"any", an IPv4 or IPv6 address, or a CIDR such as 10.0.0.0/8', {
  description: 'A source: "any", an IPv4/IPv6 address or a CIDR.',
});

/** Inbound ports a tier opens, to anyone or to the hosts of other groups. */
const tierRule = Type.Object(
  {
    group: Name({
      description: 'Hosts of this inventory group get the rule ("all": every host).',
    }),
    ports: Type.Optional(
      Type.Array(Type.Integer({ minimum: 1, maximum: 65535 }), {
        minItems: 1,
        description: 'TCP ports (UDP with proto "udp"); none with proto "vrrp", which has no ports.',
      }),
    ),
    proto: Type.Optional(OneOf(["tcp", "udp", "vrrp"], { description: 'Default "tcp".' })),
    from: Type.Union([Type.Literal("any"), Type.Array(Name({ description: "An inventory group." }), { minItems: 1 })], {
      meaning: '"any" or a non-empty list of inventory groups',
      description:
        '"any", or inventory groups whose hosts\' private addresses may connect (the host itself is left out).',
    }),
  },
  {
    additionalProperties: false,
    // VRRP has no ports; TCP and UDP rules need them.
    if: { required: ["proto"], properties: { proto: { const: "vrrp" } } },
    then: { properties: { ports: false } },
    else: { properties: { ports: true }, required: ["ports"] },
  },
);

const extraRule = Type.Object(
  {
    port: Matching(PORT_PATTERN, 'a port such as "8080" or a range such as "6000:6007"', {
      description:
        'A port "8080" or a range "6000:6007" (ufw\'s syntax; a range needs a protocol, which every rule has).',
    }),
    proto: OneOf(["tcp", "udp"], { description: "The protocol." }),
    from: source,
  },
  { additionalProperties: false },
);

export const schema = RoleVars({
  ssh_allow_from: Type.Array(source, {
    minItems: 1,
    default: ["any"],
    description: 'Who may open SSH connections (the host\'s SSH port from the inventory): "any" or addresses/CIDRs.',
  }),
  tier_rules: Type.Array(tierRule, {
    default: [
      { group: "lb", ports: [80, 443], from: "any" },
      // The load balancers' VRRP adverts (role keepalived): between themselves only.
      { group: "lb", proto: "vrrp", from: ["lb"] },
      { group: "web", ports: [80], from: ["lb"] },
      { group: "db_primary", ports: [3306], from: ["web", "db_replica"] },
      { group: "db_replica", ports: [3306], from: ["web", "db_replica"] },
      // Exporters and HAProxy's metrics answer the monitoring host only.
      { group: "all", ports: [9100], from: ["monitoring"] },
      { group: "web", ports: [9113], from: ["monitoring"] },
      { group: "db_primary", ports: [9104], from: ["monitoring"] },
      { group: "db_replica", ports: [9104], from: ["monitoring"] },
      { group: "lb", ports: [8404], from: ["monitoring"] },
    ],
    description:
      "Per-tier rules derived from the inventory groups (defaults: lb 80/443 from any, web 80 from lb, db 3306 from web and the replica, exporters from monitoring).",
  }),
  extra_rules: Type.Array(extraRule, { default: [], description: "More inbound allow rules for this host or group." }),
});

export type UfwVars = Static<typeof schema>;
/** A source: "any", an IPv4/IPv6 address or a CIDR. */
export type Source = Static<typeof source>;
