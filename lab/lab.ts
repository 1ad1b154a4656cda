// Lab lifecycle: up (idempotent, cleans stale state first), down (leaves nothing behind), reset, status.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { acmeRunning, startAcme, stopAcme } from "./acme.ts";
import { ensureBaseImage, imageSuites } from "./base-image.ts";
import { presentCgroups } from "./cgroups.ts";
import { daemonPid, startDaemon, stopDaemon } from "./daemons.ts";
import { ensureLabKeys } from "./keys.ts";
import { machinePid, startedHosts, startMachine, stopMachine } from "./machine.ts";
import type { LabDb } from "./environment/db.ts";
import type { LabOs } from "./environment/os.ts";
import { chooseLabDb } from "./db-choice.ts";
import { runningLabDb } from "./environment/running-db.ts";
import { ensureSwitch, presentNetworkParts, removeSwitch } from "./network.ts";
import { chooseLabOs, runningLabOs } from "./os-choice.ts";
import { paths, REPO_ROOT, STATE_DIR } from "./paths.ts";
import { prepareLabMachine } from "./requirements.ts";
import { labDbHosts, labHost, labHosts, siteAddress, type LabHost } from "./topology.ts";

export type Log = (line: string) => void;
const APT_PROXY = { name: "lab-apt-proxy", marker: "apt-proxy-main.ts" };

/** The proxy lets the hosts fetch the index files of `suites` only: those of the images this lab boots. */
function startAptProxy(suites: readonly string[]): void {
  if (daemonPid(APT_PROXY.name, APT_PROXY.marker) !== undefined) return;
  startDaemon(
    APT_PROXY.name,
    process.execPath,
    ["--import", "tsx", join(REPO_ROOT, "lab/apt-proxy-main.ts"), suites.join(",")],
    { cwd: REPO_ROOT },
  );
}

/** Each host's base image: the lab OS's, the database hosts the lab database's image when it has its own. */
async function baseImages(
  os: LabOs,
  db: LabDb,
  log: Log,
): Promise<{ of: (host: LabHost) => string; suites: string[] }> {
  const osImage = await ensureBaseImage(os, log);
  const dbImage = db.image ? await ensureBaseImage(db.image, log) : osImage;
  const dbHosts = labDbHosts();
  return {
    of: (host) => (dbHosts.includes(host.name) ? dbImage : osImage),
    suites: [...imageSuites(os), ...(db.image ? imageSuites(db.image) : [])],
  };
}

/** Stop hosts whose nspawn died (crash, `reboot` inside) and remove what they left: mounts, netns, cgroups. */
async function cleanStale(hosts: LabHost[], log: Log): Promise<void> {
  for (const host of hosts) {
    if (machinePid(host) !== undefined) continue;
    if (existsSync(`/run/netns/${host.netns}`) || existsSync(join(paths.hostsState, host.name))) {
      log(`cleaning stale state of ${host.name}`);
      await stopMachine(host, { discard: true });
    }
  }
}

/** The inventory's lab hosts, then the hosts the lab started that hosts.ts no longer names (those are `stray`). */
function allHosts(): Array<LabHost & { stray: boolean }> {
  const named = labHosts();
  const names = new Set(named.map((host) => host.name));
  return [
    ...named.map((host) => ({ ...host, stray: false })),
    ...startedHosts()
      .filter((host) => !names.has(host.name))
      .map((host) => ({ ...host, stray: true })),
  ];
}

const strayNote = (names: string[]) =>
  `${names.join(", ")}: started by the lab but no longer in hosts.ts; \`npm run lab -- down\` stops and removes ${names.length > 1 ? "them" : "it"}`;

const ownerFile = () => join(STATE_DIR, "owner");

/** One lab per machine (fixed addresses): refuse to take over a lab another checkout brought up. */
function claimLab(): void {
  const owner = existsSync(ownerFile()) ? readFileSync(ownerFile(), "utf8").trim() : undefined;
  const running = labHosts().some((host) => machinePid(host) !== undefined);
  if (owner && owner !== REPO_ROOT && running) {
    throw new Error(
      `lab: the lab is up for the checkout ${owner} (its keys, not this one's); run \`npm run lab -- down\` there first`,
    );
  }
  mkdirSync(STATE_DIR, { recursive: true });
  writeFileSync(ownerFile(), `${REPO_ROOT}\n`);
}

/** Bring the whole lab up on `os` (else FOOBAR_LAB_OS, the running lab's, Debian 13) with `db` on its database hosts
 * (else FOOBAR_LAB_DB, the running lab's, MariaDB); a second call finds everything running and returns quickly. */
export async function up(log: Log = console.log, hosts = labHosts(), os?: LabOs, db?: LabDb): Promise<void> {
  const release = chooseLabOs(os);
  const database = chooseLabDb(labDbHosts(), db);
  prepareLabMachine(log);
  claimLab();
  const started = Date.now();
  await cleanStale(hosts, log);
  await ensureSwitch();
  const images = await baseImages(release, database, log);
  await ensureLabKeys(labHosts());
  startAptProxy(images.suites);
  await startAcme(siteAddress());
  await Promise.all(hosts.map((host) => startMachine(host, images.of(host))));
  const strays = allHosts().filter((host) => host.stray && machinePid(host) !== undefined);
  if (strays.length > 0) log(strayNote(strays.map((host) => host.name)));
  log(
    `lab up (${release.release}, ${database.label}): ${hosts.map((host) => `${host.name} ${host.address}`).join(", ")} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
  );
}

/** Stop everything the lab started (also hosts hosts.ts no longer names) and remove every trace but the caches and .lab/ keys. */
export async function down(log: Log = console.log): Promise<void> {
  prepareLabMachine(log);
  const hosts = allHosts();
  await Promise.all(hosts.map((host) => stopMachine(host, { discard: true })));
  await stopDaemon(APT_PROXY.name, APT_PROXY.marker);
  await stopAcme();
  await removeSwitch();
  rmSync(paths.hostsState, { recursive: true, force: true });
  rmSync(paths.acmeState, { recursive: true, force: true });
  rmSync(paths.pids, { recursive: true, force: true });
  rmSync(ownerFile(), { force: true });
  const leftovers = leftoverParts();
  if (leftovers.length > 0) throw new Error(`lab down: still present: ${leftovers.join(", ")}`);
  log(`lab down: nothing left (state dir ${STATE_DIR} cleared; caches kept in ${paths.baseImages}, ${paths.aptCache})`);
}

/** Give hosts a pristine root filesystem (same SSH host keys) and boot them again, in parallel. */
export async function reset(names: string[], log: Log = console.log): Promise<void> {
  const release = chooseLabOs();
  const database = chooseLabDb(labDbHosts());
  prepareLabMachine(log);
  claimLab();
  const hosts = names.map(labHost);
  const started = Date.now();
  await ensureSwitch();
  const images = await baseImages(release, database, log);
  await Promise.all(
    hosts.map(async (host) => {
      await stopMachine(host, { discard: true });
      await startMachine(host, images.of(host));
    }),
  );
  log(`reset ${names.join(", ")} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** Lab parts that exist right now: namespaces, links, cgroups, running daemons. */
export function leftoverParts(): string[] {
  const hosts = allHosts();
  return [
    ...presentNetworkParts(hosts),
    ...presentCgroups().map((dir) => `cgroup ${dir}`),
    ...readFileSync("/proc/mounts", "utf8")
      .split("\n")
      .map((line) => line.split(" ")[1] ?? "")
      .filter((dir) => dir.startsWith(`${STATE_DIR}/`))
      .map((dir) => `mount ${dir}`),
    ...hosts.filter((host) => machinePid(host) !== undefined).map((host) => `container ${host.name}`),
    ...(daemonPid(APT_PROXY.name, APT_PROXY.marker) !== undefined ? ["apt proxy"] : []),
    ...(acmeRunning() ? ["pebble"] : []),
  ];
}

export interface HostStatus {
  name: string;
  address: string;
  running: boolean;
  pid?: number;
  /** Started by the lab, but hosts.ts no longer names it. */
  stray: boolean;
}

export function status(): { hosts: HostStatus[]; os?: LabOs; db?: LabDb; aptProxy: boolean; acme: boolean } {
  return {
    os: runningLabOs(),
    db: runningLabDb(labDbHosts()),
    hosts: allHosts().map((host) => ({
      name: host.name,
      address: host.address,
      running: machinePid(host) !== undefined,
      pid: machinePid(host),
      stray: host.stray,
    })),
    aptProxy: daemonPid(APT_PROXY.name, APT_PROXY.marker) !== undefined,
    acme: acmeRunning(),
  };
}
