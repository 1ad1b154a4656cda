// The one list of Debian packages this machine needs (lab, tests, bench), the commands each provides, and their install.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";

/** Who needs a tool: the lab itself (`npm run lab`, the demo), the test suite, the benchmark. */
export type Purpose = "lab" | "test" | "bench";

/** Every command run on this machine by the lab, the tests or the bench, with its Debian package and who needs it. */
export const TOOLS: Record<string, { pkg: string; for: Purpose[] }> = {
  debootstrap: { pkg: "debootstrap", for: ["lab"] },
  "systemd-nspawn": { pkg: "systemd-container", for: ["lab"] },
  ip: { pkg: "iproute2", for: ["lab"] },
  ss: { pkg: "iproute2", for: ["bench"] },
  pebble: { pkg: "pebble", for: ["lab"] },
  "pebble-challtestsrv": { pkg: "pebble", for: ["lab"] },
  openssl: { pkg: "openssl", for: ["lab", "test"] },
  ssh: { pkg: "openssh-client", for: ["lab", "test", "bench"] },
  "ssh-keygen": { pkg: "openssh-client", for: ["lab", "test", "bench"] },
  mount: { pkg: "mount", for: ["lab"] },
  ln: { pkg: "coreutils", for: ["lab"] },
  chroot: { pkg: "coreutils", for: ["lab"] },
  "apt-get": { pkg: "apt", for: ["lab", "test", "bench"] },
  "dpkg-query": { pkg: "dpkg", for: ["lab", "test", "bench"] },
  umount: { pkg: "mount", for: ["lab"] },
  ab: { pkg: "apache2-utils", for: ["test", "bench"] },
  curl: { pkg: "curl", for: ["test"] },
  tcpdump: { pkg: "tcpdump", for: ["test"] },
  testssl: { pkg: "testssl.sh", for: ["test"] },
  vagrant: { pkg: "vagrant", for: ["test"] },
  ps: { pkg: "procps", for: ["test"] },
  git: { pkg: "git", for: ["test"] },
  bash: { pkg: "bash", for: ["test"] },
  dash: { pkg: "dash", for: ["test"] },
  age: { pkg: "age", for: ["test"] },
  chromium: { pkg: "chromium", for: ["test"] },
  id: { pkg: "coreutils", for: ["bench"] },
  chown: { pkg: "coreutils", for: ["bench"] },
  useradd: { pkg: "passwd", for: ["bench"] },
  usermod: { pkg: "passwd", for: ["bench"] },
  sshd: { pkg: "openssh-server", for: ["bench"] },
  "ansible-playbook": { pkg: "ansible-core", for: ["bench"] },
};

/** Packages needed without a command of their own: the CA bundle Pebble's clients trust; Mitogen, the bench's fastest Ansible. */
const DATA_PACKAGES: Record<string, Purpose[]> = {
  "ca-certificates": ["lab"],
  "ansible-mitogen": ["bench"],
};

/** True when something needed for `needs` serves one of `purposes`. */
const serves = (needs: Purpose[], purposes: Purpose[]) => needs.some((need) => purposes.includes(need));

/** The Debian packages the given purposes need, sorted. */
export function packagesFor(purposes: Purpose[]): string[] {
  const wanted = (needs: Purpose[]) => serves(needs, purposes);
  const packages = [
    ...Object.values(TOOLS)
      .filter((tool) => wanted(tool.for))
      .map((tool) => tool.pkg),
    ...Object.entries(DATA_PACKAGES)
      .filter(([, needs]) => wanted(needs))
      .map(([pkg]) => pkg),
  ];
  return [...new Set(packages)].sort();
}

/** A listed command's name, checked against the list: a tool the list does not name is an error, so no test can rely on one. */
export function tool(command: string): string {
  if (!(command in TOOLS))
    throw new Error(
      `the command "${command}" is not in lab/requirements.ts's TOOLS: add it there with its Debian package`,
    );
  return command;
}

/** The listed packages that dpkg does not report as installed (all of them where dpkg-query is missing). */
export function missingPackages(packages: string[]): string[] {
  const query = spawnSync(tool("dpkg-query"), ["-W", "-f", "${Package} ${db:Status-Status}\\n", ...packages], {
    encoding: "utf8",
  });
  const installed = new Set(
    (query.stdout ?? "")
      .split("\n")
      .filter((line) => line.endsWith(" installed"))
      .map((line) => line.split(" ")[0]),
  );
  return packages.filter((pkg) => !installed.has(pkg));
}

/** apt's package lists are missing, or older than a day (a stale list asks for versions the mirror no longer has). */
function aptListsStale(): boolean {
  const dir = "/var/lib/apt/lists";
  const lists = existsSync(dir) ? readdirSync(dir).filter((name) => name.includes("_Packages")) : [];
  if (lists.length === 0) return true;
  const newest = Math.max(...lists.map((name) => statSync(`${dir}/${name}`).mtimeMs));
  return Date.now() - newest > 24 * 3600_000;
}

/** The command a user runs to install `packages` by hand. */
export function installCommand(packages: string[]): string {
  return `apt-get update && apt-get install -y --no-install-recommends ${packages.join(" ")}`;
}

function runApt(args: string[]): void {
  const result = spawnSync(tool("apt-get"), args, {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  if (result.status !== 0)
    throw new Error(`apt-get ${args.join(" ")} failed (exit ${result.status ?? result.signal}): see its output above`);
}

/**
 * Install what `purposes` need and this machine lacks: as root, `apt-get update` when the lists are missing or stale,
 * then one `apt-get install --no-install-recommends`; as anyone else, an error giving the one command to run.
 */
export function ensurePackages(purposes: Purpose[], log: (line: string) => void = console.error): void {
  const missing = missingPackages(packagesFor(purposes));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0)
    throw new Error(`missing Debian packages ${missing.join(", ")}; as root, run:\n  ${installCommand(missing)}`);
  log(`installing Debian packages for the ${purposes.join(" and ")}: ${missing.join(" ")}`);
  if (aptListsStale()) runApt(["update", "-q"]);
  runApt(["install", "-y", "-q", "-o", "Dpkg::Use-Pty=0", "--no-install-recommends", ...missing]);
}

/** Where a command is on PATH, or undefined. */
function onPath(command: string): string | undefined {
  return (process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin")
    .split(":")
    .map((dir) => `${dir}/${command}`)
    .find((file) => existsSync(file));
}

/** The package dpkg says owns a file (usrmerge: dpkg may know it under /bin or /sbin), or undefined. */
function owningPackage(file: string): string | undefined {
  for (const candidate of [file, file.replace(/^\/usr\//, "/")]) {
    const search = spawnSync(tool("dpkg-query"), ["-S", candidate], { encoding: "utf8" });
    if (search.status === 0) return search.stdout.split(":")[0];
  }
  return undefined;
}

/** Listed commands that are missing, or come from another package than the one listed (so installing the list would not bring them). */
export function misattributedTools(purposes: Purpose[]): string[] {
  return Object.entries(TOOLS)
    .filter(([, tool]) => serves(tool.for, purposes))
    .flatMap(([command, tool]) => {
      const file = onPath(command);
      if (!file) return [`${command}: not on PATH (package ${tool.pkg})`];
      const owner = owningPackage(file);
      return owner === tool.pkg
        ? []
        : [`${command}: ${file} belongs to ${owner ?? "no package"}, the list says ${tool.pkg}`];
    });
}

/** The lab's precondition: root, and the lab's packages (installed here, as root, when missing). */
export function prepareLabMachine(log: (line: string) => void = console.error): void {
  if (process.getuid?.() !== 0)
    throw new Error("lab: the lab creates network namespaces, mounts and containers: run it as root");
  ensurePackages(["lab"], log);
}
