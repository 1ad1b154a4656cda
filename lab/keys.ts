// SSH identities of the lab: the runner's client key, each host's host key (kept across resets), known_hosts.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { paths } from "./paths.ts";
import { run } from "./run-command.ts";
import type { LabHost } from "./topology.ts";

async function ensureKeyPair(file: string, comment: string): Promise<void> {
  if (existsSync(file) && existsSync(`${file}.pub`)) return;
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  await run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", comment, "-f", file], { input: "y\n" });
}

/** The host key files of one lab host (private + .pub), created once and reused by every reset. */
export function hostKeyFile(host: LabHost): string {
  return join(paths.hostKeys, host.name, "ssh_host_ed25519_key");
}

/** Create missing keys and write known_hosts for every host, so the runner's strict host-key check applies. */
export async function ensureLabKeys(hosts: LabHost[]): Promise<void> {
  await ensureKeyPair(paths.clientKey, "foobar-lab-runner");
  for (const host of hosts) await ensureKeyPair(hostKeyFile(host), `root@${host.name}`);
  const lines = hosts.map((host) => {
    const [type, blob] = readFileSync(`${hostKeyFile(host)}.pub`, "utf8")
      .trim()
      .split(/\s+/);
    return `${host.address} ${type} ${blob}`;
  });
  // Entries of other lab instances (other subnets, same host keys) stay: one checkout may drive several labs.
  const addresses = new Set(hosts.map((host) => host.address));
  const kept = existsSync(paths.knownHosts)
    ? readFileSync(paths.knownHosts, "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "" && !line.split(/[\s,]/).some((word) => addresses.has(word)))
    : [];
  writeFileSync(paths.knownHosts, `${[...kept, ...lines].join("\n")}\n`, { mode: 0o600 });
}

export function clientPublicKey(): string {
  return readFileSync(`${paths.clientKey}.pub`, "utf8");
}
