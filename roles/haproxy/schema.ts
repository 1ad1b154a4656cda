// Vars of the haproxy role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface HaproxyVars {
  /** Load-balancing algorithm over the web tier. */
  balance: "roundrobin" | "leastconn" | "source";
  /** Inventory group whose hosts are the backends. */
  backend_group: string;
  /** Port the backends (nginx) listen on. */
  backend_port: number;
  /** Public HTTP port: answers 301 to https, except the ACME http-01 challenge path. */
  http_port: number;
  /** Public HTTPS port: TLS terminates here (Mozilla "intermediate": TLS 1.2 + 1.3, ECDHE AEAD ciphers). */
  https_port: number;
  /** PEM (certificate chain + private key) the HTTPS frontend loads; a self-signed placeholder until certbot's deploy hook replaces it. */
  tls_pem: string;
  /** Strict-Transport-Security max-age in seconds on every HTTPS response. */
  hsts_max_age: number;
  /** Where /.well-known/acme-challenge/ requests go: the local certbot (role certbot) during issuance and renewal. */
  acme_challenge_address: string;
  /** Health check: GET this path, expect 200. */
  health_path: string;
  /** Milliseconds between health checks; a server goes down after `fall` failures and up after `rise` successes. */
  check_interval_ms: number;
  rise: number;
  fall: number;
  maxconn: number;
  /** Stats page and Prometheus /metrics listen here (default: the host's private address). */
  stats_address?: string;
  stats_port: number;
  stats_user: string;
  stats_password: Secret;
  /** The load balancers' group: the first host obtains the certificate (role certbot) and pushes it to the others. */
  lb_group: string;
  /** Secret the leader's certificate-push SSH key is derived from (authorised on the other load balancers). */
  cert_sync_secret: Secret;
  /** Extra raw lines, appended to the section (validated by haproxy -c like everything else); extra_frontend goes to the HTTPS frontend. */
  extra_global: string[];
  extra_defaults: string[];
  extra_frontend: string[];
  extra_backend: string[];
}

const lines = { type: "array", items: { type: "string", pattern: "^[^\\n]*$" } } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["balance", "backend_group", "backend_port", "http_port", "https_port", "tls_pem", "hsts_max_age", "acme_challenge_address", "health_path", "check_interval_ms", "rise", "fall", "maxconn", "stats_port", "stats_user", "stats_password", "lb_group", "cert_sync_secret"],
  properties: {
    balance: { enum: ["roundrobin", "leastconn", "source"] },
    backend_group: { type: "string", minLength: 1 },
    backend_port: { type: "integer", minimum: 1, maximum: 65535 },
    http_port: { type: "integer", minimum: 1, maximum: 65535 },
    https_port: { type: "integer", minimum: 1, maximum: 65535 },
    tls_pem: { type: "string", pattern: "^/[^\\s]+\\.pem$" },
    hsts_max_age: { type: "integer", minimum: 0 },
    acme_challenge_address: { type: "string", pattern: "^[0-9a-fA-F.:\\[\\]]+:[0-9]{1,5}$" },
    health_path: { type: "string", pattern: "^/[^\\s]*$" },
    check_interval_ms: { type: "integer", minimum: 100, maximum: 60000 },
    rise: { type: "integer", minimum: 1, maximum: 10 },
    fall: { type: "integer", minimum: 1, maximum: 10 },
    maxconn: { type: "integer", minimum: 1 },
    stats_address: { type: "string", pattern: "^[0-9a-fA-F.:]+$" },
    stats_port: { type: "integer", minimum: 1, maximum: 65535 },
    stats_user: { type: "string", pattern: "^[A-Za-z0-9_.-]+$" },
    stats_password: { secret: true },
    lb_group: { type: "string", minLength: 1 },
    cert_sync_secret: { secret: true },
    extra_global: lines,
    extra_defaults: lines,
    extra_frontend: lines,
    extra_backend: lines,
  },
} as const;
