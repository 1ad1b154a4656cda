// Vars of the mysqld_exporter role, declared once: checked before any connection, typed, documented in README.md.
import { Port, RoleVars } from "../../lib/dsl/role-vars.ts";
import { dbEngine } from "../mysql_common/vars.ts";

export const schema = RoleVars({
  ...dbEngine,
  port: Port({ default: 9104, description: "Port the exporter serves /metrics on, on the host's private address." }),
});
