// Test playbook: the load balancers in active-active mode — a second VIP (.101 of the lab subnet) whose home is lb-02 —
// with unicast adverts (the site's pair uses multicast), so both transports run on real hosts.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { LAB_PREFIX } from "../../../lab/environment/instance.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import haproxy from "../../../roles/haproxy/index.ts";
import keepalived from "../../../roles/keepalived/index.ts";

export const SECOND_VIP = `${LAB_PREFIX}.101`;

export const activeActive = definePlaybook("lb-active-active", [
  {
    name: "load balancers, active-active",
    hosts: "lb",
    roles: [
      haproxy,
      { role: keepalived, vars: { mode: "active-active", second_vip: SECOND_VIP, transport: "unicast" } },
    ],
  },
]);

if (isMain(import.meta.url)) void run(activeActive, inventory);
