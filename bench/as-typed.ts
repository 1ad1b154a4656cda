// The no-op as users type it: README's command as a whole new process, alternated run by run with two floors that are
// whole processes too — OpenSSH (`ssh HOST true`, or `sudo -n true` where the lab logs in as a user, for every host in
// parallel from a shell script), ssh2 from a fresh node, and each host's own no-op exec through OpenSSH (no controller).
import { existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import inventory from "../hosts.ts";
import { closeControlMasters } from "../lib/connection/control-masters.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { tool } from "../lab/requirements.ts";
import type { HostScripts } from "./host-scripts.ts";
import { summarise, type Summary } from "./stats.ts";
import { replayEverywhere, sshTrueEverywhere, timedRun } from "./whole-process.ts";

/** README's command for a converge of the lab, and the same run through npx and tsx (the form each playbook file takes). */
export const AS_TYPED = {
  launcher: ["bin/foobar-infra", "site", "-i", "lab"],
  persisted: ["bin/foobar-infra", "site", "-i", "lab", "--persist", "60"],
  npxTsx: ["npx", "tsx", "playbooks/site.ts", "-i", "lab"],
};

/** tsx's own start: `npx tsx` of an empty file, the floor the same run under tsx adds its work to. */
const NPX_TSX_EMPTY = ["npx", "tsx", "bench/floors/empty.ts"];

export interface AsTyped {
  hosts: number;
  command: string;
  site: Summary;
  opensshFloor: Summary;
  ssh2Floor: Summary;
  /**
   * Each host's no-op exec as the run sends it, through OpenSSH from a shell script: the host side alone (absent in
   * results before 2026-12-06).
   */
  hostSide?: Summary;
  npxTsx?: Summary;
  /** `npx tsx` of an empty file, in the same rounds as npxTsx. */
  npxTsxEmpty?: Summary;
  /** With --persist: the login kept from the previous run (OpenSSH ControlPersist), against OpenSSH over a kept master too. */
  persisted: { command: string; site: Summary; opensshFloor: Summary };
}

/** Ask every master under `dir` to exit (they would otherwise linger for their ControlPersist time), then remove it. */
function closeMasters(dir: string): void {
  closeControlMasters(dir);
  for (const entry of existsSync(dir) ? readdirSync(dir, { withFileTypes: true }) : [])
    if (entry.isSocket()) throw new Error(`a master still listens in ${dir}: ${entry.name}`);
  rmSync(dir, { recursive: true, force: true });
}

/**
 * `runs` rounds of: OpenSSH floor, ssh2 floor, the host side alone (`scripts` replayed), README's command (and, when
 * asked, npx tsx playbooks/site.ts).
 */
export function asTyped(runs: number, withNpxTsx: boolean, scripts: HostScripts): AsTyped & { hostSide: Summary } {
  const lab = loadInventory(inventory, "lab");
  const { user, key, knownHosts } = lab.hosts[0]!.ssh;
  const addresses = lab.hosts.map((host) => host.address);
  const keyFile = join(REPO_ROOT, key!);
  const knownHostsFile = join(REPO_ROOT, knownHosts!);
  const sshWords = [
    tool("ssh"),
    "-F",
    "/dev/null",
    "-i",
    keyFile,
    "-o",
    "IdentitiesOnly=yes",
    "-o",
    `UserKnownHostsFile=${knownHostsFile}`,
    "-o",
    "StrictHostKeyChecking=yes",
    "-o",
    "BatchMode=yes",
    "-l",
    user!,
  ];
  const become = lab.hosts[0]!.become;
  const openssh = sshTrueEverywhere(sshWords, addresses, become);
  const hostSide = replayEverywhere(sshWords, scripts.byAddress);
  // Persisted runs keep their masters in directories of their own, closed at the end: nothing outlives the bench.
  const floorControl = mkdtempSync(join(tmpdir(), "bench-cm-"));
  const siteRuntime = mkdtempSync(join(tmpdir(), "bench-runtime-"));
  const persistedEnv = { ...process.env, XDG_RUNTIME_DIR: siteRuntime };
  const opensshPersisted = sshTrueEverywhere(
    [...sshWords, "-o", `ControlPath=${floorControl}/%C`, "-o", "ControlMaster=auto", "-o", "ControlPersist=60"],
    addresses,
    become,
  );
  const ssh2 = [
    process.execPath,
    join(REPO_ROOT, "bench/floors/ssh2-floor.mjs"),
    user,
    keyFile,
    knownHostsFile,
    ...addresses,
  ];
  const times = {
    site: [] as number[],
    openssh: [] as number[],
    ssh2: [] as number[],
    hostSide: [] as number[],
    npxTsx: [] as number[],
    npxTsxEmpty: [] as number[],
    persisted: [] as number[],
    opensshPersisted: [] as number[],
  };
  try {
    // Warm-up: page cache, the bundle cache, and the persisted runs' masters (their first login is the plain runs' cost).
    for (const argv of [openssh, ssh2, hostSide, AS_TYPED.launcher, opensshPersisted]) timedRun(argv);
    timedRun(AS_TYPED.persisted, persistedEnv);
    for (let index = 0; index < runs; index++) {
      times.openssh.push(timedRun(openssh));
      times.ssh2.push(timedRun(ssh2));
      times.hostSide.push(timedRun(hostSide));
      times.site.push(timedRun(AS_TYPED.launcher));
      times.opensshPersisted.push(timedRun(opensshPersisted));
      times.persisted.push(timedRun(AS_TYPED.persisted, persistedEnv));
      if (withNpxTsx) {
        times.npxTsxEmpty.push(timedRun(NPX_TSX_EMPTY));
        times.npxTsx.push(timedRun(AS_TYPED.npxTsx));
      }
    }
  } finally {
    closeMasters(floorControl);
    closeMasters(join(siteRuntime, "foobar-infra", "ssh"));
    rmSync(siteRuntime, { recursive: true, force: true });
  }
  return {
    hosts: addresses.length,
    command: AS_TYPED.launcher.join(" "),
    site: summarise(times.site),
    opensshFloor: summarise(times.openssh),
    ssh2Floor: summarise(times.ssh2),
    hostSide: summarise(times.hostSide),
    ...(withNpxTsx ? { npxTsx: summarise(times.npxTsx), npxTsxEmpty: summarise(times.npxTsxEmpty) } : {}),
    persisted: {
      command: AS_TYPED.persisted.join(" "),
      site: summarise(times.persisted),
      opensshFloor: summarise(times.opensshPersisted),
    },
  };
}
