// Role ufw: default deny inbound, SSH first, per-tier rules from the inventory; a change that blocks new SSH logins is rolled back.
import { defineRole } from "../../lib/role.ts";
import { ufw } from "../../lib/resources/ufw.ts";
import { firewallRules } from "./firewall-rules.ts";
import { schema, type UfwVars } from "./schema.ts";

export default defineRole<UfwVars>({
  name: "ufw",
  dir: import.meta.dirname,
  schema,
  defaults: {
    ssh_allow_from: ["any"],
    tier_rules: [
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
    extra_rules: [],
  },
  tasks: ({ r, vars, host, inventory, checkNewConnection }) => [
    r.package("ufw"),
    ufw({ rules: firewallRules(vars, host, inventory), verify: checkNewConnection }),
  ],
});
