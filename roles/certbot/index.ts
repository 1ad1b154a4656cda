// Role certbot: the site's certificate from ACME (http-01 through HAProxy), the PEM HAProxy loads, renewal by certbot.timer.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sh } from "../../lib/shell.ts";
import { defineRole } from "../../lib/role.ts";
import { TLS_PEM } from "../haproxy/index.ts";
import { schema, type CertbotVars } from "./schema.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const DEPLOY_HOOK = "/etc/letsencrypt/foobar-haproxy-deploy-hook";
/** The ACME server's CA on the host, when acme_ca_bundle is set; certbot.service gets it as REQUESTS_CA_BUNDLE too. */
export const ACME_CA_BUNDLE = "/etc/letsencrypt/foobar-acme-ca.pem";

function controllerFile(path: string): string {
  try {
    return readFileSync(resolve(REPO_ROOT, path), "utf8");
  } catch (error) {
    throw new Error(`acme_ca_bundle: cannot read ${path} on the controller (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

export default defineRole<CertbotVars>({
  name: "certbot",
  dir: import.meta.dirname,
  schema,
  defaults: {
    acme_server: "https://acme-v02.api.letsencrypt.org/directory",
    acme_email: "ops@foobar.com",
    domains: ["www.foobar.com", "foobar.com"],
    cert_name: "foobar.com",
    http01_port: 8888,
    haproxy_pem: TLS_PEM,
  },
  tasks: ({ r, vars }) => {
    const live = `/etc/letsencrypt/live/${vars.cert_name}`;
    const caBundle = vars.acme_ca_bundle === undefined ? undefined : controllerFile(vars.acme_ca_bundle);
    const environment = caBundle === undefined ? "" : sh`REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} `;
    // --standalone on 127.0.0.1:<http01_port>, behind HAProxy's /.well-known/acme-challenge/ route: no web server or
    // webroot to keep, nothing listens between renewals, and the renewal config certbot saves repeats the same way.
    const obtain = environment + sh`certbot certonly --non-interactive --agree-tos --no-eff-email -m ${vars.acme_email} --server ${vars.acme_server} --cert-name ${vars.cert_name} --standalone --http-01-address 127.0.0.1 --http-01-port ${vars.http01_port} --deploy-hook ${DEPLOY_HOOK} ${vars.domains.flatMap((domain) => ["-d", domain])}`;
    return [
      r.package("certbot"),
      r.file(ACME_CA_BUNDLE, caBundle ?? null, caBundle === undefined ? { state: "absent" } : { mode: "0644" }),
      r.systemdDropIn("certbot.service", "foobar-acme-ca", caBundle === undefined ? null : `[Service]\nEnvironment=REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE}\n`),
      r.file(DEPLOY_HOOK, r.render("deploy-hook.sh.ejs"), { mode: "0755" }),
      // Guarded by the live certificate: a second run never requests a new one; renewals are certbot.timer's job.
      r.command("obtain certificate", obtain, { creates: `${live}/fullchain.pem`, description: `obtain ${vars.domains.join(", ")} from ${vars.acme_server}` }),
      // Repairs a PEM that is not the live certificate (a hook that failed, a placeholder put back by hand).
      r.command("haproxy PEM from the live certificate", sh`RENEWED_LINEAGE=${live} ${DEPLOY_HOOK}`, {
        onlyIf: sh`[ -e ${`${live}/fullchain.pem`} ] && ! cat ${`${live}/fullchain.pem`} ${`${live}/privkey.pem`} | cmp -s - ${vars.haproxy_pem}`,
        description: `rebuild ${vars.haproxy_pem} from ${live}`,
      }),
      r.service("certbot.timer", { state: "started", enabled: true }),
    ];
  },
});
