// Vars of the haproxy role, declared once: checked before any connection, typed, documented in README.md.
import {
  AbsolutePath,
  Formatted,
  GroupName,
  IpAddress,
  Lines,
  Name,
  OneOf,
  Port,
  RoleVars,
  type Static,
  SecretVar,
  Type,
  UrlPath,
} from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";

/** The PEM HTTPS serves; role certbot's deploy hook writes the real one here. */
export const TLS_PEM = "/etc/haproxy/certs/foobar.pem";

export const schema = RoleVars({
  balance: OneOf(["roundrobin", "leastconn", "source"], {
    default: "roundrobin",
    description: "Load-balancing algorithm over the web tier.",
  }),
  backend_group: GroupName({
    default: "web",
    description: "Inventory group whose hosts are the backends.",
  }),
  backend_port: Port({ default: 80, description: "Port the backends (nginx) listen on." }),
  http_port: Port({
    default: 80,
    description: "Public HTTP port: answers 301 to https, except the ACME http-01 challenge path.",
  }),
  https_port: Port({
    default: 443,
    description: 'Public HTTPS port: TLS terminates here (Mozilla "intermediate": TLS 1.2 + 1.3, ECDHE AEAD ciphers).',
  }),
  tls_pem: AbsolutePath(
    {
      default: TLS_PEM,
      description:
        "PEM (certificate chain + private key) the HTTPS frontend loads; a self-signed placeholder until certbot's deploy hook replaces it.",
    },
    ".pem",
  ),
  hsts_max_age: Type.Integer({
    minimum: 0,
    default: 63072000,
    description: "Strict-Transport-Security max-age in seconds on every HTTPS response.",
  }),
  acme_challenge_address: Formatted("host-port", {
    default: "127.0.0.1:8888",
    description:
      "Where /.well-known/acme-challenge/ requests go: the local certbot (role certbot) during issuance and renewal.",
  }),
  health_path: UrlPath({
    default: "/health",
    description: "Health check: GET this path, expect 200.",
  }),
  check_interval_ms: Type.Integer({
    minimum: 100,
    maximum: 60000,
    default: 2000,
    description:
      "Milliseconds between health checks; a server goes down after `fall` failures and up after `rise` successes.",
  }),
  rise: Type.Integer({
    minimum: 1,
    maximum: 10,
    default: 2,
    description: "Passed health checks in a row before a server takes traffic again.",
  }),
  fall: Type.Integer({
    minimum: 1,
    maximum: 10,
    default: 2,
    description: "Failed health checks in a row before a server is taken out of rotation.",
  }),
  connect_timeout_ms: Type.Integer({
    minimum: 100,
    maximum: 60000,
    default: 1000,
    description:
      "Milliseconds to wait for a web server's TCP connection before retrying on another one (a private network answers in well under one).",
  }),
  response_timeout_ms: Type.Integer({
    minimum: 500,
    maximum: 600000,
    default: 5000,
    description:
      "Milliseconds a web server has to start answering: a GET, HEAD or OPTIONS that waits longer is retried on another server (raise it for slow pages).",
  }),
  maxconn: Type.Integer({
    minimum: 1,
    default: 4096,
    description: "Most concurrent connections HAProxy accepts (global maxconn).",
  }),
  stats_address: Type.Optional(
    IpAddress({ description: "Stats page and Prometheus /metrics listen here (default: the host's private address)." }),
  ),
  stats_port: Port({ default: 8404, description: "Port of the stats page and Prometheus /metrics." }),
  stats_user: Name({
    default: "admin",
    description: "User of the stats page's basic auth.",
  }),
  stats_password: SecretVar({
    default: secret("haproxy_stats_password"),
    description: "Password of the stats page's basic auth.",
  }),
  lb_group: GroupName({
    default: "lb",
    description:
      "The load balancers' group: the first host obtains the certificate (role certbot) and pushes it to the others.",
  }),
  cert_sync_secret: SecretVar({
    default: secret("lb_cert_sync_key"),
    description:
      "Secret the leader's certificate-push SSH key is derived from (authorised on the other load balancers).",
  }),
  extra_global: Lines({
    default: [],
    description: "Extra raw lines appended to the global section (validated by haproxy -c like everything else).",
  }),
  extra_defaults: Lines({ default: [], description: "Extra raw lines appended to the defaults section." }),
  extra_frontend: Lines({ default: [], description: "Extra raw lines appended to the HTTPS frontend." }),
  extra_backend: Lines({ default: [], description: "Extra raw lines appended to the web backend." }),
});

export type HaproxyVars = Static<typeof schema>;
