// Vars of the keepalived role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface KeepalivedVars {
  /** active-passive: one VIP, the other LBs stand by. active-active: one VIP per LB (vip, second_vip), both in DNS. */
  mode: "active-passive" | "active-active";
  /** The virtual IP clients and DNS use; its home is the first host of `group`. */
  vip: string;
  /** active-active only: the second VIP, whose home is the second host of `group`. */
  second_vip?: string;
  /** Prefix length of the VIPs' subnet. */
  vip_prefix_length: number;
  /** Inventory group of the load balancers sharing the VIPs; their order is the VRRP priority order. */
  group: string;
  /** How adverts travel: multicast (224.0.0.18) or unicast to the peers' private addresses (networks without multicast). */
  transport: "multicast" | "unicast";
  /** Interface for VRRP adverts (default: the one holding the host's private address). */
  vrrp_interface?: string;
  /** Interface the VIPs go on (default: the one with an address in the VIPs' subnet, else the VRRP interface). */
  vip_interface?: string;
  /** VRRP router id of the first VIP (the second uses the next one); unique per network segment. */
  virtual_router_id: number;
  advert_interval_seconds: number;
  /** VRRP PASS authentication (keepalived uses the first 8 characters). Guards against misconfigured neighbours, not attackers: the firewall admits VRRP from the peers only. */
  auth_pass: Secret;
  /** HAProxy's monitor URL on this host: the VIP leaves a host whose HAProxy stops answering it. */
  check_url: string;
  check_interval_seconds: number;
  /** Failed checks in a row before the host gives up its VIPs. */
  check_fall: number;
  /** Passed checks in a row before the host may hold its home VIP again. */
  check_rise: number;
  /** After keepalived starts, how long a host waits before it may take a VIP whose home is another host (so each VIP starts on its home). */
  takeover_delay_seconds: number;
  /** false (default): a recovered host does not take its VIP back from a healthy peer (no second interruption); true: it does. */
  preempt: boolean;
}

const ipv4 = { type: "string", pattern: "^((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])$" } as const;
const device = { type: "string", pattern: "^[A-Za-z0-9_.:@-]{1,15}$" } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["mode", "vip", "vip_prefix_length", "group", "transport", "virtual_router_id", "advert_interval_seconds", "auth_pass", "check_url", "check_interval_seconds", "check_fall", "check_rise", "takeover_delay_seconds", "preempt"],
  properties: {
    mode: { enum: ["active-passive", "active-active"] },
    vip: ipv4,
    second_vip: ipv4,
    vip_prefix_length: { type: "integer", minimum: 8, maximum: 32 },
    group: { type: "string", minLength: 1 },
    transport: { enum: ["multicast", "unicast"] },
    vrrp_interface: device,
    vip_interface: device,
    virtual_router_id: { type: "integer", minimum: 1, maximum: 254 },
    advert_interval_seconds: { type: "integer", minimum: 1, maximum: 255 },
    auth_pass: { secret: true },
    check_url: { type: "string", pattern: "^http://[^\\s\"]+$" },
    check_interval_seconds: { type: "integer", minimum: 1, maximum: 60 },
    check_fall: { type: "integer", minimum: 1, maximum: 10 },
    check_rise: { type: "integer", minimum: 1, maximum: 10 },
    takeover_delay_seconds: { type: "integer", minimum: 0, maximum: 600 },
    preempt: { type: "boolean" },
  },
  // Active-active needs its second address.
  if: { properties: { mode: { const: "active-active" } } },
  then: { properties: { second_vip: true }, required: ["second_vip"] },
} as const;
