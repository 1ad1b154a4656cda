// Role ufw: default deny inbound, SSH first, per-tier rules from the inventory; a change that blocks new SSH logins is rolled back.
import { defineRole } from "../../lib/dsl/role.ts";
import { ufw } from "../../lib/resources/ufw.ts";
import { firewallRules } from "./firewall-rules.ts";
import { schema } from "./schema.ts";

export default defineRole({
  name: "ufw",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, inventory, checkNewConnection }) => [
    r.package("ufw"),
    ufw({ rules: firewallRules(vars, host, inventory), verify: checkNewConnection }),
  ],
});
