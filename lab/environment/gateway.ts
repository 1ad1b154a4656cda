// The runner's side of the lab and the services it offers the hosts; free of the inventory, so hosts.ts can use it.
import { LAB_PREFIX, LAB_SUFFIX } from "./instance.ts";

/** The runner's side of the lab: an address in the root netns, also where lab services listen. */
export const GATEWAY = {
  address: `${LAB_PREFIX}.254`,
  prefix: 24,
  link: `lab0${LAB_SUFFIX}`,
  peer: `lab0${LAB_SUFFIX}-br`,
} as const;

/** Ports of the lab services on GATEWAY.address. */
export const APT_PROXY_PORT = 3142;
export const ACME_PORTS = { api: 14000, management: 15000, dns: 8053, challengeManagement: 8055 } as const;

/** The lab's ACME directory (Pebble). */
export const ACME_DIRECTORY = `https://${GATEWAY.address}:${ACME_PORTS.api}/dir`;
