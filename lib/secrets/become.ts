// become_password: each host's reference resolved to its Secret before any connection; a missing one is an input error.
import { InputError } from "../errors.ts";
import type { Host, Inventory } from "../inventory/types.ts";
import { SecretRef } from "../secret.ts";
import { openSecretStore, type SecretStore } from "./store.ts";

/** Replace every host's become_password reference by its value (in place); all missing ones are reported at once. */
export function resolveBecomePasswords(hosts: Host[], store: SecretStore): void {
  const problems: string[] = [];
  for (const host of hosts) {
    const reference = host.ssh.becomePassword;
    if (!(reference instanceof SecretRef)) continue;
    const secret = store.lookup(reference.name);
    if (secret) host.ssh.becomePassword = secret;
    else
      problems.push(
        `host ${host.name}: missing secret "${reference.name}" (its become_password): ${store.howToSet(reference.name)}`,
      );
  }
  if (problems.length) throw new InputError(problems);
}

/** For commands that load the inventory themselves (deploy, failover): resolve `hosts`' become_passwords from the environment's store. */
export async function resolveBecomePasswordsOf(hosts: Host[], inventory: Inventory, repoRoot: string): Promise<void> {
  if (!hosts.some((host) => host.ssh.becomePassword instanceof SecretRef)) return;
  const store = await openSecretStore({
    file: inventory.secretsFile,
    repoRoot,
    environment: inventory.environment,
    generate: inventory.generateSecrets,
  });
  resolveBecomePasswords(hosts, store);
}
