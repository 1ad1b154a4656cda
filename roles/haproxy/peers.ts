// The load balancers sharing one certificate: the first of the group obtains it, pushes it to the others, and they can pull it.
import { resolve } from "node:path";
import { knownHostsFilesFor, lookupHostKeys } from "../../lib/connection/known-hosts.ts";
import type { Host, Inventory } from "../../lib/inventory/types.ts";
import type { Secret } from "../../lib/secret.ts";
import { sh } from "../../lib/shell.ts";
import { sshKeyFromSecret, type SshKeyPair } from "../../lib/secrets/ssh-key.ts";

const REPO_ROOT = resolve(import.meta.dirname, "../..");

export interface CertificatePeers {
  /** Runs certbot (ACME http-01 through its own HAProxy) and pushes every new PEM to the followers. */
  leader: Host;
  followers: Host[];
  isLeader: boolean;
  /** The other load balancers of the group (followers for the leader, the rest for a follower). */
  others: Host[];
}

/** `host`'s place among the load balancers of `group`; a host outside the group is its own leader. */
export function certificatePeers(inventory: Inventory, host: Host, group: string): CertificatePeers {
  const members = group in inventory.groups ? inventory.group(group) : [];
  if (!members.some((member) => member.name === host.name))
    return { leader: host, followers: [], isLeader: true, others: [] };
  return {
    leader: members[0]!,
    followers: members.slice(1),
    isLeader: members[0]!.name === host.name,
    others: members.filter((member) => member.name !== host.name),
  };
}

/** The key the load balancers reach each other's installer with, derived from the shared secret (the same on every run and host). */
export function certificateSyncKey(secret: Secret): SshKeyPair {
  return sshKeyFromSecret(secret, "foobar-cert-sync");
}

/** Installs a PEM read from stdin (checked, HAProxy reloaded, receipt written) or exports the installed one: the sync key's forced command. */
export const INSTALL_PEM = "/usr/local/sbin/foobar-install-pem";
/** The SHA-256 of the PEM the installer last installed: a PEM that differs did not come from the certificate leader. */
export const receiptOf = (pem: string) => `${pem}.sha256`;

export const SYNC_DIR = "/etc/haproxy/foobar-sync";
export const SYNC_KEY = `${SYNC_DIR}/id_ed25519`;
export const SYNC_KNOWN_HOSTS = `${SYNC_DIR}/known_hosts`;

/** The ssh command that runs `target`'s installer (its forced command), checked against its pinned host key. */
export function peerSsh(target: Host): string {
  return sh`ssh -i ${SYNC_KEY} -o IdentitiesOnly=yes -o BatchMode=yes -o ConnectTimeout=5 -o StrictHostKeyChecking=yes -o UserKnownHostsFile=${SYNC_KNOWN_HOSTS} -p ${target.ssh.port} ${`root@${target.privateAddress}`}`;
}

/** known_hosts lines for the peers' private addresses, from the keys the runner trusts for them. */
export function peerHostKeys(peers: Host[]): string {
  return peers
    .map((peer) => {
      const { keys } = lookupHostKeys(knownHostsFilesFor(peer, REPO_ROOT), peer.address, peer.ssh.port);
      if (keys.length === 0)
        throw new Error(
          `no pinned SSH host key for ${peer.name} (${peer.address}): converge it once (--accept-new-host-keys) so the load balancers can reach each other`,
        );
      const name = peer.ssh.port === 22 ? peer.privateAddress : `[${peer.privateAddress}]:${peer.ssh.port}`;
      return keys.map((key) => `${name} ${key.type} ${key.blob.toString("base64")}\n`).join("");
    })
    .join("");
}

/** A shell test: the PEM is not the one `record` names (a missing record or PEM counts as different). */
export function differsFromRecord(pem: string, record: string): string {
  return `[ "$(cat ${sh`${record}`} 2>/dev/null)" != "$(sha256sum < ${sh`${pem}`} 2>/dev/null | cut -d' ' -f1)" ]`;
}
