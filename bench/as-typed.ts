// The no-op as users type it: README's command as a whole new process, alternated run by run with two floors that are
// whole processes too — OpenSSH (`ssh HOST true` for every host in parallel from a shell script) and ssh2 from a fresh node.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import inventory from "../hosts.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { tool } from "../lab/requirements.ts";
import { summarise, type Summary } from "./stats.ts";

/** README's command for a converge of the lab, and the same run through npx and tsx (the form each playbook file takes). */
export const AS_TYPED = { launcher: ["bin/foobar-infra", "site", "-i", "lab"], npxTsx: ["npx", "tsx", "playbooks/site.ts", "-i", "lab"] };

/** Wall milliseconds of one whole command; throws with its output when it fails. */
function timedRun(argv: string[]): number {
  const started = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), { cwd: REPO_ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  const elapsed = performance.now() - started;
  if (result.status !== 0) throw new Error(`${argv.join(" ")} failed (exit ${result.status}):\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`);
  if (/changed=[1-9]/.test(result.stdout)) throw new Error(`${argv.join(" ")} is not a no-op:\n${result.stdout.slice(-1500)}`);
  return elapsed;
}

export interface AsTyped {
  hosts: number;
  command: string;
  site: Summary;
  opensshFloor: Summary;
  ssh2Floor: Summary;
  npxTsx?: Summary;
}

/** `runs` rounds of: OpenSSH floor, ssh2 floor, README's command (and, when asked, npx tsx playbooks/site.ts). */
export function asTyped(runs: number, withNpxTsx: boolean): AsTyped {
  const lab = loadInventory(inventory, "lab");
  const { user, key, knownHosts } = lab.hosts[0]!.ssh;
  const addresses = lab.hosts.map((host) => host.address);
  const keyFile = join(REPO_ROOT, key!);
  const knownHostsFile = join(REPO_ROOT, knownHosts!);
  const sshWords = [tool("ssh"), "-F", "/dev/null", "-i", keyFile, "-o", "IdentitiesOnly=yes", "-o", `UserKnownHostsFile=${knownHostsFile}`, "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes"].join(" ");
  const openssh = ["/bin/sh", "-c", `for host in ${addresses.join(" ")}; do ${sshWords} ${user}@$host true & done; wait`];
  const ssh2 = [process.execPath, join(REPO_ROOT, "bench/floors/ssh2-floor.mjs"), user, keyFile, knownHostsFile, ...addresses];
  const times = { site: [] as number[], openssh: [] as number[], ssh2: [] as number[], npxTsx: [] as number[] };
  for (const argv of [openssh, ssh2, AS_TYPED.launcher]) timedRun(argv); // warm-up: page cache, the bundle cache
  for (let index = 0; index < runs; index++) {
    times.openssh.push(timedRun(openssh));
    times.ssh2.push(timedRun(ssh2));
    times.site.push(timedRun(AS_TYPED.launcher));
    if (withNpxTsx) times.npxTsx.push(timedRun(AS_TYPED.npxTsx));
  }
  return {
    hosts: addresses.length,
    command: AS_TYPED.launcher.join(" "),
    site: summarise(times.site),
    opensshFloor: summarise(times.openssh),
    ssh2Floor: summarise(times.ssh2),
    ...(withNpxTsx ? { npxTsx: summarise(times.npxTsx) } : {}),
  };
}
