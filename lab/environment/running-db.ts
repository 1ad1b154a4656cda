// The database the running lab's database hosts run, read from their overlay mounts (MySQL's hosts are mounted on
// the unstable image), so no record can go stale; and the db_engine the lab inventory gives the database roles.
import { existsSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { DEFAULT_LAB_DB, envLabDb, LAB_DBS, labDb, type LabDb } from "./db.ts";
import { LAB_STATE_DIR } from "./instance.ts";

/** The database of the lab in `stateDir` whose hosts `dbHosts` are mounted; undefined when none of them is. */
export function mountedLabDb(mounts: string, stateDir: string, dbHosts: readonly string[]): LabDb | undefined {
  const mountPoints = new Set(dbHosts.map((name) => join(stateDir, "hosts", name, "merged")));
  for (const line of mounts.split("\n")) {
    const [, mountPoint, type, options] = line.split(" ");
    if (type !== "overlay" || !mountPoints.has(mountPoint ?? "")) continue;
    const lower = /(?:^|,)lowerdir=([^,]+)/.exec(options ?? "")?.[1] ?? "";
    const suite = basename(lower).replace(/-[0-9a-f]+$/, "");
    return LAB_DBS.find((db) => db.image?.suite === suite) ?? labDb(DEFAULT_LAB_DB, "default");
  }
  return undefined;
}

export const machineMounts = () => (existsSync("/proc/mounts") ? readFileSync("/proc/mounts", "utf8") : "");

/** The running lab's database, for status and the inventory; undefined when no database host runs. */
export function runningLabDb(dbHosts: readonly string[], stateDir = LAB_STATE_DIR, mounts = machineMounts()) {
  return mountedLabDb(mounts, stateDir, dbHosts);
}

/** The database roles' db_engine for the lab environment: the running lab's, else the one asked for, else MariaDB. */
export function labDbEngine(dbHosts: readonly string[]): LabDb["name"] {
  return (runningLabDb(dbHosts) ?? envLabDb() ?? labDb(DEFAULT_LAB_DB, "default")).name;
}
