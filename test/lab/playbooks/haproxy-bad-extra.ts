// Test playbook: the haproxy role with an extra backend line that passes the schema but that HAProxy rejects.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import haproxy from "../../../roles/haproxy/index.ts";

export const badExtra = definePlaybook("haproxy-bad-extra", [
  {
    name: "load balancer with a broken extra line",
    hosts: "lb",
    roles: [{ role: haproxy, vars: { extra_backend: ["option no-such-option-here"] } }],
  },
]);

if (isMain(import.meta.url)) void run(badExtra, inventory);
