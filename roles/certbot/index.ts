// Role certbot: the site's certificate from ACME (http-01 through HAProxy), the PEM HAProxy loads, renewal by certbot.timer.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { sh } from "../../lib/shell.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import type { Host } from "../../lib/inventory/types.ts";
import type { ResourceFactory } from "../../lib/resources/index.ts";
import { certificatePeers, differsFromRecord, INSTALL_PEM, peerSsh, receiptOf } from "../haproxy/peers.ts";
import { schema } from "./schema.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../..");
export const DEPLOY_HOOK = "/etc/letsencrypt/foobar-haproxy-deploy-hook";
/** The ACME server's CA on the host, when acme_ca_bundle is set; certbot.service gets it as REQUESTS_CA_BUNDLE too. */
export const ACME_CA_BUNDLE = "/etc/letsencrypt/foobar-acme-ca.pem";

/** What the leader last pushed to `follower` (SHA-256 of the PEM), written after each successful push. */
const pushRecord = (follower: Host) => `/etc/letsencrypt/foobar-pushed-${follower.name}.sha256`;
/** How long a follower waits for the leader's first certificate (both run the certificate play at once). */
const PULL_WAIT_SECONDS = 120;

/** On a follower: the leader's PEM, pulled through its installer's export when ours is not the one last received. */
function followerPull(r: ResourceFactory, leader: Host, pem: string) {
  const pull = [
    `deadline=$(( $(date +%s) + ${PULL_WAIT_SECONDS} ))`,
    `until ${peerSsh(leader)} export > ${sh`${pem}.pulled`}; do`,
    `  if [ "$(date +%s)" -ge "$deadline" ]; then rm -f ${sh`${pem}.pulled`}; echo "${leader.name} has no certificate to give after ${PULL_WAIT_SECONDS} s (its certbot play obtains it)" >&2; exit 1; fi`,
    "  sleep 1",
    "done",
    `${INSTALL_PEM} install < ${sh`${pem}.pulled`}; status=$?; rm -f ${sh`${pem}.pulled`}; exit $status`,
  ].join("\n");
  return r.command(`certificate from ${leader.name}`, pull, {
    onlyIf: differsFromRecord(pem, receiptOf(pem)),
    dependsOn: [pem, receiptOf(pem)],
    description: `pull ${pem} from ${leader.name}: it is not the one last received`,
  });
}

function controllerFile(path: string): string {
  try {
    return readFileSync(resolve(REPO_ROOT, path), "utf8");
  } catch (error) {
    throw new Error(
      `acme_ca_bundle: cannot read ${path} on the controller (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
    );
  }
}

export default defineRole({
  name: "certbot",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, inventory }) => {
    const peers = certificatePeers(inventory, host, vars.lb_group);
    // The other load balancers get the leader's certificate (its deploy hook pushes each new one); nothing runs certbot
    // there. One whose PEM is not what the installer last received (a fresh host, a hand edit) pulls it from the leader.
    if (!peers.isLeader) return [followerPull(r, peers.leader, vars.haproxy_pem)];
    const live = `/etc/letsencrypt/live/${vars.cert_name}`;
    const caBundle = vars.acme_ca_bundle === undefined ? undefined : controllerFile(vars.acme_ca_bundle);
    const environment = caBundle === undefined ? "" : sh`REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE} `;
    // --standalone on 127.0.0.1:<http01_port>, behind HAProxy's /.well-known/acme-challenge/ route: no web server or
    // webroot to keep, nothing listens between renewals, and the renewal config certbot saves repeats the same way.
    const obtain =
      environment +
      sh`certbot certonly --non-interactive --agree-tos --no-eff-email -m ${vars.acme_email} --server ${vars.acme_server} --cert-name ${vars.cert_name} --standalone --http-01-address 127.0.0.1 --http-01-port ${vars.http01_port} --deploy-hook ${DEPLOY_HOOK} ${vars.domains.flatMap((domain) => ["-d", domain])}`;
    const followers = peers.followers.map((follower) => ({
      name: follower.name,
      push: peerSsh(follower),
      record: pushRecord(follower),
    }));
    return [
      r.package("certbot"),
      r.file(ACME_CA_BUNDLE, caBundle ?? null, caBundle === undefined ? { state: "absent" } : { mode: "0644" }),
      r.systemdDropIn(
        "certbot.service",
        "foobar-acme-ca",
        caBundle === undefined ? null : `[Service]\nEnvironment=REQUESTS_CA_BUNDLE=${ACME_CA_BUNDLE}\n`,
      ),
      r.file(
        DEPLOY_HOOK,
        r.render("deploy-hook.sh.ejs", { followers, install_pem: INSTALL_PEM, receipt: receiptOf(vars.haproxy_pem) }),
        { mode: "0755" },
      ),
      // Guarded by the live certificate: a second run never requests a new one; renewals are certbot.timer's job.
      r.command("obtain certificate", obtain, {
        creates: `${live}/fullchain.pem`,
        description: `obtain ${vars.domains.join(", ")} from ${vars.acme_server}`,
      }),
      // Repairs a PEM that is not the live certificate (a hook that failed, a placeholder put back by hand) or that the
      // installer did not put there (its receipt differs: the followers could not pull it).
      r.command("haproxy PEM from the live certificate", sh`RENEWED_LINEAGE=${live} ${DEPLOY_HOOK}`, {
        onlyIf: `${sh`[ -e ${`${live}/fullchain.pem`} ]`} && { ${sh`! cat ${`${live}/fullchain.pem`} ${`${live}/privkey.pem`} | cmp -s - ${vars.haproxy_pem}`} || ${differsFromRecord(vars.haproxy_pem, receiptOf(vars.haproxy_pem))}; }`,
        dependsOn: [`${live}/fullchain.pem`, `${live}/privkey.pem`, vars.haproxy_pem, receiptOf(vars.haproxy_pem)],
        description: `rebuild ${vars.haproxy_pem} from ${live}`,
      }),
      // A follower that missed a push (down during a renewal) gets it again: the record of what it last received
      // differs from the installed PEM's receipt. Checked here without a connection, so a no-op costs nothing more.
      // (A PEM that is not the installed one is the task above: its deploy hook pushes as well.)
      ...followers.map((follower) =>
        r.command(
          `certificate on ${follower.name}`,
          `${follower.push} ${sh`install < ${vars.haproxy_pem} && cp ${receiptOf(vars.haproxy_pem)} ${follower.record}`}`,
          {
            onlyIf: `! ${differsFromRecord(vars.haproxy_pem, receiptOf(vars.haproxy_pem))} && ${sh`! cmp -s ${receiptOf(vars.haproxy_pem)} ${follower.record}`}`,
            dependsOn: [vars.haproxy_pem, receiptOf(vars.haproxy_pem), follower.record],
            description: `push ${vars.haproxy_pem} to ${follower.name}`,
          },
        ),
      ),
      r.service("certbot.timer", { state: "started", enabled: true }),
    ];
  },
});
