// Vars of the node_exporter role, declared once: checked before any connection, typed, documented in README.md.
import { Port, RoleVars } from "../../lib/dsl/role-vars.ts";

export const schema = RoleVars({
  port: Port({
    default: 9100,
    description:
      "Port the exporter serves /metrics on, on the host's private address (the firewall admits the monitoring host).",
  }),
});
