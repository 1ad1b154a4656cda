// Vars of the nginx role: the JSON schema checked before any connection, and its TypeScript type.

export interface NginxVars {
  /** Port the site listens on (the load balancer's backends point here). */
  listen: number;
  /** Server names of the site. */
  server_names: string[];
  /** Where the application server listens (host:port on this host). */
  app_upstream: string;
  /** Directory served at /static/ (the current release's public assets). */
  static_root: string;
  /** Cache lifetime of static assets, in seconds. */
  static_max_age: number;
  /** Idle keepalive connections kept open to the app. */
  upstream_keepalive: number;
  /** Timeout for reading the app's response, in seconds. */
  proxy_read_timeout: number;
  /** Loopback-only port of nginx's stub_status (read by the nginx_exporter role). */
  status_port: number;
  /** Largest request body accepted, e.g. "1m". */
  client_max_body_size: string;
}

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["listen", "server_names", "app_upstream", "static_root", "static_max_age", "upstream_keepalive", "proxy_read_timeout", "client_max_body_size", "status_port"],
  properties: {
    listen: { type: "integer", minimum: 1, maximum: 65535 },
    server_names: { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z0-9.*_-]+$" } },
    app_upstream: { type: "string", pattern: "^[A-Za-z0-9.-]+:[0-9]{1,5}$" },
    static_root: { type: "string", pattern: "^/[^;{}\\s]*/$" },
    static_max_age: { type: "integer", minimum: 0 },
    upstream_keepalive: { type: "integer", minimum: 0, maximum: 1024 },
    proxy_read_timeout: { type: "integer", minimum: 1, maximum: 3600 },
    status_port: { type: "integer", minimum: 1, maximum: 65535 },
    client_max_body_size: { type: "string", pattern: "^[0-9]+[kmg]?$" },
  },
} as const;
