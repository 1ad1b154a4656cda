// Role haproxy: the load balancer over the web tier, health checks, stats, metrics, runtime API.
import { defineRole } from "../../lib/role.ts";
import { secret } from "../../lib/secrets/secret.ts";
import { schema, type HaproxyVars } from "./schema.ts";

/** Runtime API socket (drain/ready during deploys); the deploy playbook uses it too. */
export const RUNTIME_SOCKET = "/run/haproxy/admin.sock";
export const BACKEND = "foobar_web";

export default defineRole<HaproxyVars>({
  name: "haproxy",
  dir: import.meta.dirname,
  schema,
  defaults: {
    balance: "roundrobin",
    backend_group: "web",
    backend_port: 80,
    http_port: 80,
    health_path: "/health",
    check_interval_ms: 2000,
    rise: 2,
    fall: 2,
    maxconn: 4096,
    stats_port: 8404,
    stats_user: "admin",
    stats_password: secret("haproxy_stats_password") as never,
    extra_global: [],
    extra_defaults: [],
    extra_frontend: [],
    extra_backend: [],
  },
  tasks: ({ r, vars, host, inventory }) => [
    r.package("haproxy"),
    r.package("socat"), // talks to the runtime API socket (deploy.ts drains servers through it)
    r.template("/etc/haproxy/haproxy.cfg", "haproxy.cfg.ejs", {
      mode: "0640",
      group: "haproxy",
      validate: "haproxy -c -f %s",
      notify: "reload haproxy",
      data: {
        backends: inventory.group(vars.backend_group).map((web) => ({ name: web.name, address: web.privateAddress })),
        stats_bind: vars.stats_address ?? host.privateAddress,
        runtime_socket: RUNTIME_SOCKET,
        backend_name: BACKEND,
      },
    }),
    r.service("haproxy", { state: "started", enabled: true }),
  ],
  handlers: {
    // Debian's unit runs haproxy in master-worker mode: reload hands the listening sockets over, no connection is dropped.
    "reload haproxy": ({ r }) => r.serviceAction("haproxy", "reloaded"),
  },
});
