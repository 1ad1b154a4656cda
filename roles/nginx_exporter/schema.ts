// Vars of the nginx_exporter role, declared once: checked before any connection, typed, documented in README.md.
import { Port, RoleVars } from "../../lib/dsl/role-vars.ts";

export const schema = RoleVars({
  port: Port({ default: 9113, description: "Port the exporter serves /metrics on, on the host's private address." }),
  status_port: Port({ default: 8081, description: "nginx's loopback-only status port (nginx role var status_port)." }),
});
