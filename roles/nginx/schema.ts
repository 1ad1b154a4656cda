// Vars of the nginx role, declared once: checked before any connection, typed, documented in README.md.
import { AbsolutePath, Formatted, Matching, Port, RoleVars, Type } from "../../lib/dsl/role-vars.ts";

export const schema = RoleVars({
  listen: Port({ default: 80, description: "Port the site listens on (the load balancer's backends point here)." }),
  server_names: Type.Array(
    Type.String({
      pattern: "^(_|(\\*\\.)?[A-Za-z0-9_]([A-Za-z0-9_-]{0,62})(\\.[A-Za-z0-9_]([A-Za-z0-9_-]{0,62}))*)$",
      meaning: "a server name such as www.foobar.com, *.foobar.com or _",
    }),
    { minItems: 1, default: ["www.foobar.com", "foobar.com"], description: "Server names of the site." },
  ),
  app_upstream: Formatted("host-port", {
    default: "127.0.0.1:3000",
    description: "Where the application server listens (host:port on this host).",
  }),
  static_root: AbsolutePath(
    {
      default: "/srv/foobar/current/public/",
      description: "Directory served at /static/ (the current release's public assets).",
    },
    "/",
  ),
  static_max_age: Type.Integer({
    minimum: 0,
    default: 604800,
    description: "Cache lifetime of static assets, in seconds.",
  }),
  upstream_keepalive: Type.Integer({
    minimum: 0,
    maximum: 1024,
    default: 16,
    description: "Idle keepalive connections kept open to the app.",
  }),
  proxy_read_timeout: Type.Integer({
    minimum: 1,
    maximum: 3600,
    default: 30,
    description: "Timeout for reading the app's response, in seconds.",
  }),
  status_port: Port({
    default: 8081,
    description: "Loopback-only port of nginx's stub_status (read by the nginx_exporter role).",
  }),
  client_max_body_size: Matching("^[0-9]+[kmg]?$", "a size such as 512k, 1m or 2g", {
    default: "1m",
    description: "Largest request body accepted.",
  }),
});
