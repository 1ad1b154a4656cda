// The load balancers sharing one certificate: the first of the group obtains and renews it, the others receive it.
import type { Host, Inventory } from "../../lib/inventory/types.ts";
import type { Secret } from "../../lib/secrets/secret.ts";
import { sshKeyFromSecret, type SshKeyPair } from "../../lib/secrets/ssh-key.ts";

export interface CertificatePeers {
  /** Runs certbot (ACME http-01 through its own HAProxy) and pushes every new PEM to the followers. */
  leader: Host;
  followers: Host[];
  isLeader: boolean;
}

/** `host`'s place among the load balancers of `group`; a host outside the group is its own leader. */
export function certificatePeers(inventory: Inventory, host: Host, group: string): CertificatePeers {
  const members = group in inventory.groups ? inventory.group(group) : [];
  if (!members.some((member) => member.name === host.name)) return { leader: host, followers: [], isLeader: true };
  return { leader: members[0]!, followers: members.slice(1), isLeader: members[0]!.name === host.name };
}

/** The leader's key for pushing PEMs, derived from the shared secret (the same on every run and host). */
export function certificateSyncKey(secret: Secret): SshKeyPair {
  return sshKeyFromSecret(secret, "foobar-cert-sync");
}

/** Installs a PEM read from stdin (checked, HAProxy reloaded) or prints the installed one's SHA-256: the sync key's forced command. */
export const INSTALL_PEM = "/usr/local/sbin/foobar-install-pem";
