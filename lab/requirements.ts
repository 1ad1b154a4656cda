// What the lab needs from the machine: root, Debian packages, kernel features; one clear message when missing.
import { existsSync } from "node:fs";

/** Debian packages the lab and its tests use. Keep in sync with .ci/run. */
export const LAB_PACKAGES = ["debootstrap", "systemd-container", "iproute2", "pebble", "openssl", "openssh-client", "mariadb-client", "apache2-utils", "curl", "ca-certificates", "testssl.sh", "vagrant"];

/** Commands the lab runs, and the package that provides each. */
const COMMANDS: Record<string, string> = {
  debootstrap: "debootstrap",
  "systemd-nspawn": "systemd-container",
  ip: "iproute2",
  pebble: "pebble",
  "pebble-challtestsrv": "pebble",
  openssl: "openssl",
  "ssh-keygen": "openssh-client",
  mount: "mount",
};

function onPath(command: string): boolean {
  return (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(":").some((dir) => existsSync(`${dir}/${command}`)) || existsSync(`/usr/sbin/${command}`);
}

/** Problems that stop the lab from running here; empty when all is well. */
export function missingRequirements(): string[] {
  const problems: string[] = [];
  if (process.getuid?.() !== 0) problems.push("the lab creates network namespaces, mounts and containers: run it as root");
  const missing = [...new Set(Object.entries(COMMANDS).filter(([command]) => !onPath(command)).map(([, pkg]) => pkg))];
  if (missing.length > 0) {
    problems.push(`missing commands from Debian packages ${missing.join(", ")}: apt-get install -y ${LAB_PACKAGES.join(" ")}`);
  }
  return problems;
}

export function assertRequirements(): void {
  const problems = missingRequirements();
  if (problems.length > 0) throw new Error(`lab: cannot run on this machine:\n  - ${problems.join("\n  - ")}`);
}
