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
      { group: "web", ports: [80], from: ["lb"] },
      { group: "db_primary", ports: [3306], from: ["web", "db_replica"] },
      { group: "db_replica", ports: [3306], from: ["web", "db_replica"] },
    ],
    extra_rules: [],
  },
  tasks: ({ r, vars, host, inventory, checkNewConnection }) => [
    r.package("ufw"),
    ufw({ rules: firewallRules(vars, host, inventory), verify: checkNewConnection }),
  ],
});
