// Role ufw: default deny inbound, SSH first, per-tier rules from the inventory, no foreign rule admitting traffic anywhere in
// the kernel's ruleset; a change that blocks new SSH logins is rolled back.
import { defineRole } from "../../lib/dsl/role.ts";
import { ufw } from "../../lib/resources/ufw.ts";
import { ufwForeignRules } from "../../lib/resources/ufw-foreign.ts";
import { firewallRules } from "./firewall-rules.ts";
import { schema } from "./schema.ts";

export default defineRole({
  name: "ufw",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, inventory, checkNewConnection }) => [
    r.package("ufw"),
    r.package("nftables"), // nft reads the whole ruleset: iptables-nft's tables and any nft table of its own
    ufw({ rules: firewallRules(vars, host, inventory), verify: checkNewConnection }),
    ufwForeignRules({ verify: checkNewConnection }),
  ],
});
