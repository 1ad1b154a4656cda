// Vars of the keepalived role, declared once: checked before any connection, typed, documented in README.md.
import { Formatted, GroupName, OneOf, RoleVars, SecretVar, Type, Url, type Static } from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import { MONITOR_URI } from "../haproxy/index.ts";

const device = (description: string) => Type.Optional(Formatted("interface-name", { description }));

export const schema = RoleVars(
  {
    mode: OneOf(["active-passive", "active-active"], {
      default: "active-passive",
      description:
        "active-passive: one VIP, the other LBs stand by. active-active: one VIP per LB (vip, second_vip), both in DNS.",
    }),
    vip: Formatted("ipv4", {
      description: "The virtual IP clients and DNS use; its home is the first host of `group`.",
    }),
    second_vip: Type.Optional(
      Formatted("ipv4", {
        description: "active-active only: the second VIP, whose home is the second host of `group`.",
      }),
    ),
    vip_prefix_length: Type.Integer({
      minimum: 8,
      maximum: 32,
      default: 24,
      description: "Prefix length of the VIPs' subnet.",
    }),
    group: GroupName({
      default: "lb",
      description: "Inventory group of the load balancers sharing the VIPs; their order is the VRRP priority order.",
    }),
    transport: OneOf(["multicast", "unicast"], {
      default: "multicast",
      description:
        "How adverts travel: multicast (224.0.0.18) or unicast to the peers' private addresses (networks without multicast).",
    }),
    vrrp_interface: device("Interface for VRRP adverts (default: the one holding the host's private address)."),
    vip_interface: device(
      "Interface the VIPs go on (default: the one with an address in the VIPs' subnet, else the VRRP interface).",
    ),
    virtual_router_id: Type.Integer({
      minimum: 1,
      maximum: 254,
      default: 51,
      description: "VRRP router id of the first VIP (the second uses the next one); unique per network segment.",
    }),
    advert_interval_seconds: Type.Integer({
      minimum: 1,
      maximum: 255,
      default: 1,
      description: "Seconds between VRRP adverts of the VIP's holder.",
    }),
    auth_pass: SecretVar({
      default: secret("keepalived_auth_pass"),
      description:
        "VRRP PASS authentication (keepalived uses the first 8 characters). Guards against misconfigured neighbours, not attackers: the firewall admits VRRP from the peers only.",
    }),
    check_url: Url(
      {
        default: `http://127.0.0.1:80${MONITOR_URI}`,
        description: "HAProxy's monitor URL on this host: the VIP leaves a host whose HAProxy stops answering it.",
      },
      "http",
    ),
    check_interval_seconds: Type.Integer({
      minimum: 1,
      maximum: 60,
      default: 1,
      description: "Seconds between two checks of check_url.",
    }),
    check_fall: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 2,
      description: "Failed checks in a row before the host gives up its VIPs.",
    }),
    check_rise: Type.Integer({
      minimum: 1,
      maximum: 10,
      default: 2,
      description: "Passed checks in a row before the host may hold its home VIP again.",
    }),
    takeover_delay_seconds: Type.Integer({
      minimum: 0,
      maximum: 600,
      default: 10,
      description:
        "After keepalived starts, how long a host waits before it may take a VIP whose home is another host (so each VIP starts on its home).",
    }),
    preempt: Type.Boolean({
      default: false,
      description:
        "false (default): a recovered host does not take its VIP back from a healthy peer (no second interruption); true: it does.",
    }),
  },
  {
    // Active-active needs its second address.
    if: { properties: { mode: { const: "active-active" } } },
    then: { properties: { second_vip: true }, required: ["second_vip"] },
  },
);

export type KeepalivedVars = Static<typeof schema>;
