// Vars of the certbot role: the JSON schema checked before any connection, and its TypeScript type.
import type { Secret } from "../../lib/secrets/secret.ts";

export interface CertbotVars {
  /** ACME directory URL: Let's Encrypt production by default; the lab points it at Pebble. */
  acme_server: string;
  /** Account e-mail (expiry notices). */
  acme_email: string;
  /** Names on the certificate; the first one is the subject. */
  domains: string[];
  /** certbot's name for the lineage: /etc/letsencrypt/live/<cert_name>/. */
  cert_name: string;
  /**
   * A file on the controller (path relative to the repository) with the CA that signs the ACME server's
   * own TLS certificate; installed on the host and given to certbot as REQUESTS_CA_BUNDLE. For a private
   * ACME server such as the lab's Pebble; leave unset for Let's Encrypt.
   */
  acme_ca_bundle?: string;
  /** Local port certbot's standalone http-01 server listens on (127.0.0.1); HAProxy's acme_challenge_address points here. */
  http01_port: number;
  /** The PEM HAProxy loads (fullchain + key), written by the deploy hook. */
  haproxy_pem: string;
  /** The load balancers' group: its first host runs certbot and pushes each new PEM to the others (role haproxy's installer). */
  lb_group: string;
  /** Secret the push key is derived from (the same var as role haproxy's). */
  cert_sync_secret: Secret;
}

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["acme_server", "acme_email", "domains", "cert_name", "http01_port", "haproxy_pem", "lb_group", "cert_sync_secret"],
  properties: {
    acme_server: { type: "string", pattern: "^https://[^\\s'\"]+$" },
    acme_email: { type: "string", pattern: "^[^@\\s'\"]+@[^@\\s'\"]+$" },
    domains: { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z0-9*]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$" } },
    cert_name: { type: "string", pattern: "^[A-Za-z0-9][A-Za-z0-9._-]*$" },
    acme_ca_bundle: { type: "string", minLength: 1 },
    http01_port: { type: "integer", minimum: 1, maximum: 65535 },
    haproxy_pem: { type: "string", pattern: "^/[^\\s'\"]+\\.pem$" },
    lb_group: { type: "string", minLength: 1 },
    cert_sync_secret: { secret: true },
  },
} as const;
