// Own cgroups for each lab container: nspawn left in the caller's cgroup shuts down badly (docs/lab.md).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync } from "node:fs";
import { join } from "node:path";
import { LAB_SUFFIX } from "./environment/instance.ts";

const ROOT = "/sys/fs/cgroup";
const LAB_GROUP = `foobar-lab${LAB_SUFFIX}`;

/** Hierarchies to place a container in: the v2 root alone, or (hybrid) the named systemd one, unified and a few controllers. */
function hierarchies(): string[] {
  if (existsSync(join(ROOT, "cgroup.controllers"))) return [ROOT];
  return ["systemd", "unified", "memory", "pids"]
    .map((name) => join(ROOT, name))
    .filter((dir) => existsSync(join(dir, "cgroup.procs")));
}

/** cgroup directories of one lab host, one per hierarchy. */
export function cgroupDirs(name: string): string[] {
  return hierarchies().map((dir) => join(dir, LAB_GROUP, name));
}

/** Create the host's cgroup directories; the launcher writes its PID into each cgroup.procs. */
export function createCgroups(name: string): string[] {
  const dirs = cgroupDirs(name);
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  return dirs;
}

/** PIDs still in a host's cgroups (all levels): what is left of a container whose nspawn died. */
export function cgroupMembers(name: string): number[] {
  const pids = new Set<number>();
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const line of readFileSync(join(dir, "cgroup.procs"), "utf8").split("\n"))
      if (line.trim()) pids.add(Number(line));
    for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) walk(join(dir, entry.name));
  };
  for (const dir of cgroupDirs(name)) walk(dir);
  return [...pids];
}

/** Remove a stopped host's cgroup trees depth-first (a plain rmdir of the top fails with EBUSY). */
export function removeCgroups(name: string): void {
  for (const dir of cgroupDirs(name)) removeTree(dir);
  for (const dir of hierarchies().map((hierarchy) => join(hierarchy, LAB_GROUP))) {
    if (existsSync(dir) && readdirSync(dir, { withFileTypes: true }).every((entry) => !entry.isDirectory()))
      tryRmdir(dir);
  }
}

function removeTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true }))
    if (entry.isDirectory()) removeTree(join(dir, entry.name));
  tryRmdir(dir);
}

function tryRmdir(dir: string): void {
  try {
    rmdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      throw new Error(`lab: cannot remove cgroup ${dir}: ${(error as Error).message}`);
  }
}

/** cgroup directories of the lab that still exist (leak check). */
export function presentCgroups(): string[] {
  return hierarchies()
    .map((hierarchy) => join(hierarchy, LAB_GROUP))
    .filter((dir) => existsSync(dir));
}
