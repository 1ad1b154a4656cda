// Vars of the certbot role, declared once: checked before any connection, typed, documented in README.md.
import {
  AbsolutePath,
  ControllerPath,
  Email,
  GroupName,
  Matching,
  Name,
  Port,
  RoleVars,
  SecretVar,
  Type,
  Url,
} from "../../lib/dsl/role-vars.ts";
import { secret } from "../../lib/secret.ts";
import { TLS_PEM } from "../haproxy/schema.ts";

export const schema = RoleVars({
  acme_server: Url(
    {
      default: "https://acme-v02.api.letsencrypt.org/directory",
      description: "ACME directory URL: Let's Encrypt production by default; the lab points it at Pebble.",
    },
    "https",
  ),
  acme_email: Email({
    default: "ops@foobar.com",
    description: "Account e-mail (expiry notices).",
  }),
  domains: Type.Array(
    Matching(
      "^(?=.{1,253}$)[A-Za-z0-9*]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$",
      "a fully qualified domain name such as www.foobar.com",
      { description: "A name." },
    ),
    {
      minItems: 1,
      default: ["www.foobar.com", "foobar.com"],
      description: "Names on the certificate; the first one is the subject.",
    },
  ),
  cert_name: Name({
    default: "foobar.com",
    description: "certbot's name for the lineage: /etc/letsencrypt/live/<cert_name>/.",
  }),
  acme_ca_bundle: Type.Optional(
    ControllerPath({
      description:
        "A file on the controller (path relative to the repository) with the CA that signs the ACME server's own TLS certificate; installed on the host and given to certbot as REQUESTS_CA_BUNDLE. For a private ACME server such as the lab's Pebble; leave unset for Let's Encrypt.",
    }),
  ),
  http01_port: Port({
    default: 8888,
    description:
      "Local port certbot's standalone http-01 server listens on (127.0.0.1); HAProxy's acme_challenge_address points here.",
  }),
  haproxy_pem: AbsolutePath(
    { default: TLS_PEM, description: "The PEM HAProxy loads (fullchain + key), written by the deploy hook." },
    ".pem",
  ),
  lb_group: GroupName({
    default: "lb",
    description:
      "The load balancers' group: its first host runs certbot and pushes each new PEM to the others (role haproxy's installer).",
  }),
  cert_sync_secret: SecretVar({
    default: secret("lb_cert_sync_key"),
    description: "Secret the push key is derived from (the same var as role haproxy's).",
  }),
});
