// A play's resources synthesised for one host without a connection: canned Debian 12 facts, generated secrets and
// placeholder host keys in a scratch directory. The role reference pages and the unit tests read roles through it.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { definePlaybook, type Play } from "../dsl/playbook.ts";
import { debianFacts } from "../facts/debian-facts.ts";
import { parseHostFacts } from "../facts/host.ts";
import type { Inventory } from "../inventory/types.ts";
import { buildHostWork, planPlays, type HostWork } from "../runner/plan.ts";
import { openSecretStore } from "../secrets/store.ts";

/** Every host's key as the runner would have pinned it: a synthesis reads peers' keys (certificate sync). */
export const PLACEHOLDER_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDI3PLupRHJdduycR94kK9eP9ew+EyM4DKTr3eO2LYKq";

/**
 * Synthesis for the hosts of `inventory`, whose known_hosts it points at placeholder keys in `scratch`; the secrets are
 * generated there too, and the caller removes `scratch` when done. It gives `play`'s resources and handlers on one
 * host, with the facts of a Debian 12 host whose eth0 holds the host's private address.
 */
export async function openSynthesis(
  inventory: Inventory,
  scratch: string,
): Promise<(play: Play, hostName: string) => HostWork> {
  const knownHosts = join(scratch, "known_hosts");
  writeFileSync(knownHosts, inventory.hosts.map((host) => `${host.address} ${PLACEHOLDER_HOST_KEY}\n`).join(""));
  for (const host of inventory.hosts) host.ssh.knownHosts = knownHosts;
  const secrets = await openSecretStore({
    file: "secrets.json",
    repoRoot: scratch,
    environment: inventory.environment,
    generate: true,
  });
  return (play, hostName) => {
    const [hostPlay] = planPlays(definePlaybook("synthesis", [play]), inventory, new Set([hostName]), secrets)[0]!;
    const facts = parseHostFacts(debianFacts(hostName, inventory.host(hostName).privateAddress));
    return buildHostWork(hostPlay!, facts, inventory, {}, async () => undefined);
  };
}
