// Role certbot: the site's certificate from ACME (http-01 through HAProxy), the PEM HAProxy loads, renewal by certbot.timer.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sh } from "../../lib/shell.ts";
import { defineRole } from "../../lib/role.ts";
import { secret } from "../../lib/secrets/secret.ts";
import { knownHostsFilesFor, lookupHostKeys } from "../../lib/connection/known-hosts.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { TLS_PEM } from "../haproxy/index.ts";
import { certificatePeers, certificateSyncKey, INSTALL_PEM } from "../haproxy/peers.ts";
import { schema, type CertbotVars } from "./schema.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const DEPLOY_HOOK = "/etc/letsencrypt/foobar-haproxy-deploy-hook";
/** The ACME server's CA on the host, when acme_ca_bundle is set; certbot.service gets it as REQUESTS_CA_BUNDLE too. */
export const ACME_CA_BUNDLE = "/etc/letsencrypt/foobar-acme-ca.pem";

/** The leader's side of the certificate push: its key and the followers' host keys (pinned by the runner). */
const SYNC_DIR = "/etc/letsencrypt/foobar-sync";
const SYNC_KEY = `${SYNC_DIR}/id_ed25519`;
const SYNC_KNOWN_HOSTS = `${SYNC_DIR}/known_hosts`;

/** The ssh command that reaches a follower's forced command (the installer), checked against its pinned host key. */
function pushCommand(follower: Host): string {
  return sh`ssh -i ${SYNC_KEY} -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${SYNC_KNOWN_HOSTS} -p ${follower.ssh.port} ${`root@${follower.privateAddress}`}`;
}

/** known_hosts lines for the followers' private addresses, from the keys the runner trusts for them. */
function followerHostKeys(followers: Host[]): string {
  return followers.map((follower) => {
    const { keys } = lookupHostKeys(knownHostsFilesFor(follower, REPO_ROOT), follower.address, follower.ssh.port);
    if (keys.length === 0) throw new Error(`no pinned SSH host key for ${follower.name} (${follower.address}): converge it once (--accept-new-host-keys) before the certificate leader pushes to it`);
    const name = follower.ssh.port === 22 ? follower.privateAddress : `[${follower.privateAddress}]:${follower.ssh.port}`;
    return keys.map((key) => `${name} ${key.type} ${key.blob.toString("base64")}\n`).join("");
  }).join("");
}

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
    lb_group: "lb",
    cert_sync_secret: secret("lb_cert_sync_key") as never,
  },
  tasks: ({ r, vars, host, inventory }) => {
    const peers = certificatePeers(inventory, host, vars.lb_group);
    // The other load balancers get the leader's certificate (role haproxy authorises the push); nothing runs certbot there.
    if (!peers.isLeader) return [];
    const live = `/etc/letsencrypt/live/${vars.cert_name}`;
    const caBundle = vars.acme_ca_bundle === undefined ? undefined : controllerFile(vars.acme_ca_bundle);
    const environment = caBundle === undefined ? "" : sh`REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} `;
    // --standalone on 127.0.0.1:<http01_port>, behind HAProxy's /.well-known/acme-challenge/ route: no web server or
    // webroot to keep, nothing listens between renewals, and the renewal config certbot saves repeats the same way.
    const obtain = environment + sh`certbot certonly --non-interactive --agree-tos --no-eff-email -m ${vars.acme_email} --server ${vars.acme_server} --cert-name ${vars.cert_name} --standalone --http-01-address 127.0.0.1 --http-01-port ${vars.http01_port} --deploy-hook ${DEPLOY_HOOK} ${vars.domains.flatMap((domain) => ["-d", domain])}`;
    const followers = peers.followers.map((follower) => ({ name: follower.name, push: pushCommand(follower) }));
    return [
      r.package("certbot"),
      r.file(ACME_CA_BUNDLE, caBundle ?? null, caBundle === undefined ? { state: "absent" } : { mode: "0644" }),
      r.systemdDropIn("certbot.service", "foobar-acme-ca", caBundle === undefined ? null : `[Service]\nEnvironment=REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE}\n`),
      r.directory(SYNC_DIR, { mode: "0700" }),
      r.template(SYNC_KEY, "sync-key.ejs", { data: { private_key: certificateSyncKey(vars.cert_sync_secret).privateKey }, mode: "0600" }),
      r.file(SYNC_KNOWN_HOSTS, followerHostKeys(peers.followers), { mode: "0644" }),
      r.file(DEPLOY_HOOK, r.render("deploy-hook.sh.ejs", { followers, install_pem: INSTALL_PEM }), { mode: "0755" }),
      // Guarded by the live certificate: a second run never requests a new one; renewals are certbot.timer's job.
      r.command("obtain certificate", obtain, { creates: `${live}/fullchain.pem`, description: `obtain ${vars.domains.join(", ")} from ${vars.acme_server}` }),
      // Repairs a PEM that is not the live certificate (a hook that failed, a placeholder put back by hand).
      r.command("haproxy PEM from the live certificate", sh`RENEWED_LINEAGE=${live} ${DEPLOY_HOOK}`, {
        onlyIf: sh`[ -e ${`${live}/fullchain.pem`} ] && ! cat ${`${live}/fullchain.pem`} ${`${live}/privkey.pem`} | cmp -s - ${vars.haproxy_pem}`,
        description: `rebuild ${vars.haproxy_pem} from ${live}`,
      }),
      // A follower that missed a push (down during a renewal, reset, edited by hand) gets the leader's PEM again.
      ...followers.map((follower) => r.command(`certificate on ${follower.name}`, `${follower.push} install < ${sh`${vars.haproxy_pem}`}`, {
        onlyIf: `[ -e ${sh`${vars.haproxy_pem}`} ] && [ "$(${follower.push} fingerprint)" != "$(sha256sum < ${sh`${vars.haproxy_pem}`} | cut -d' ' -f1)" ]`,
        description: `push ${vars.haproxy_pem} to ${follower.name}`,
      })),
      r.service("certbot.timer", { state: "started", enabled: true }),
    ];
  },
});
