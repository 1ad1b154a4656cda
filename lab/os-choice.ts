// Which release this lab command boots: the one asked for (--os, FOOBAR_LAB_OS), else the running lab's, else the
// default; a running lab of another release is refused rather than mixed. The running lab's release is read from its
// hosts' overlay mounts (each host's lower layer is its release's base image), so no record can go stale.
import { readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { DEFAULT_LAB_OS, envLabOs, LAB_OSES, LabOsError, labOs, type LabOs } from "./environment/os.ts";
import { STATE_DIR } from "./paths.ts";

/** The release whose base image a running host of the lab in `stateDir` is mounted on; undefined when none is. */
export function mountedLabOs(mounts: string, stateDir: string): LabOs | undefined {
  const hostsDir = `${join(stateDir, "hosts")}/`;
  for (const line of mounts.split("\n")) {
    const [, mountPoint, type, options] = line.split(" ");
    if (type !== "overlay" || !mountPoint?.startsWith(hostsDir)) continue;
    const lower = /(?:^|,)lowerdir=([^,]+)/.exec(options ?? "")?.[1];
    const suite = lower && basename(lower).replace(/-[0-9a-f]+$/, "");
    const os = LAB_OSES.find((candidate) => candidate.suite === suite);
    if (os) return os;
  }
  return undefined;
}

const machineMounts = () => readFileSync("/proc/mounts", "utf8");

/** The running lab's release, for status; undefined when no host runs. */
export function runningLabOs(stateDir = STATE_DIR, mounts = machineMounts()): LabOs | undefined {
  return mountedLabOs(mounts, stateDir);
}

/** The release to boot: `asked` (else FOOBAR_LAB_OS), checked against the running lab's when hosts run. */
export function chooseLabOs(
  asked: LabOs | undefined = envLabOs(),
  stateDir = STATE_DIR,
  mounts = machineMounts(),
): LabOs {
  const current = mountedLabOs(mounts, stateDir);
  if (!current) return asked ?? labOs(DEFAULT_LAB_OS, "default");
  if (asked && asked.name !== current.name)
    throw new LabOsError(
      `lab: the lab runs ${current.release} (${current.name}), not ${asked.release}: \`npm run lab -- down\` first, then \`npm run lab -- up --os ${asked.name}\``,
    );
  return current;
}
