// The lab's base root filesystem: debootstrap once, tweak, cache on disk keyed by a hash of the recipe.
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { machineMirror, type Mirror } from "./mirror.ts";
import { paths } from "./paths.ts";
import { run } from "./run-command.ts";
import { APT_PROXY_PORT, GATEWAY, SITE_NAMES, labHosts } from "./topology.ts";

const SUITE = "bookworm";
/** python3 lets the benchmark drive the same hosts with Ansible; netcat/procps serve the tests' port checks. */
const PACKAGES = ["systemd", "systemd-sysv", "dbus", "openssh-server", "iproute2", "iputils-ping", "ca-certificates", "sudo", "curl", "gnupg", "procps", "netcat-openbsd", "python3", "less"];
/** Units that make no sense in a container or would take the dpkg lock behind the tests' backs. */
const MASKED_UNITS = ["console-getty.service", "apt-daily.timer", "apt-daily-upgrade.timer", "systemd-resolved.service"];

/** Files written into the base after debootstrap: path inside the rootfs → content. */
function tweakFiles(mirror: Mirror): Record<string, string> {
  const hostsLines = labHosts().map((host) => `${host.address}\t${host.name}`);
  const lb = labHosts().find((host) => host.name.startsWith("lb-"));
  return {
    "/etc/machine-id": "",
    "/etc/apt/sources.list": "",
    "/etc/apt/sources.list.d/debian.sources": [
      `Types: deb\nURIs: ${mirror.main}\nSuites: ${SUITE} ${SUITE}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
      `Types: deb\nURIs: ${mirror.security}\nSuites: ${SUITE}-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    ].join("\n"),
    "/etc/apt/apt.conf.d/01lab-proxy": `Acquire::http::Proxy "http://${GATEWAY.address}:${APT_PROXY_PORT}";\nAcquire::https::Proxy "false";\n`,
    "/etc/ssh/sshd_config.d/10-lab.conf": "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUseDNS no\n",
    "/etc/hosts": ["127.0.0.1\tlocalhost", "::1\tlocalhost ip6-localhost ip6-loopback", ...hostsLines, ...(lb ? [`${lb.address}\t${SITE_NAMES.join(" ")}`] : []), ""].join("\n"),
    "/etc/resolv.conf": `# lab: no DNS; names come from /etc/hosts\nnameserver ${GATEWAY.address}\noptions timeout:1 attempts:1\n`,
    "/etc/default/locale": "LANG=C.UTF-8\n",
  };
}

function recipe(mirror: Mirror) {
  return { version: 3, suite: SUITE, packages: PACKAGES, masked: MASKED_UNITS, files: tweakFiles(mirror), mirror };
}

/** The directory of the base image for the current recipe (may not be built yet). */
export function baseImageDir(): string {
  const hash = createHash("sha256").update(JSON.stringify(recipe(machineMirror()))).digest("hex").slice(0, 16);
  return join(paths.baseImages, `bookworm-${hash}`);
}

/** Build the base image unless the current recipe's is cached; returns its directory. */
export async function ensureBaseImage(log: (line: string) => void): Promise<string> {
  const dir = baseImageDir();
  if (existsSync(join(dir, "etc", "os-release"))) return dir;
  const mirror = machineMirror();
  const building = `${dir}.building`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(paths.baseImages, { recursive: true });
  log(`building the base image ${dir} from ${mirror.main} (once; 1–2 min)`);
  await run("debootstrap", ["--variant=minbase", `--include=${PACKAGES.join(",")}`, SUITE, building, mirror.main]);
  for (const [path, content] of Object.entries(recipe(mirror).files)) writeFileSync(join(building, path), content);
  for (const unit of MASKED_UNITS) {
    rmSync(join(building, "etc/systemd/system", unit), { force: true });
    await run("ln", ["-s", "/dev/null", join(building, "etc/systemd/system", unit)]);
  }
  // Host keys are per host (kept across resets), never baked into the shared base.
  for (const file of readdirSync(join(building, "etc/ssh")).filter((name) => name.startsWith("ssh_host_"))) rmSync(join(building, "etc/ssh", file));
  rmSync(join(building, "var/cache/apt/archives"), { recursive: true, force: true });
  mkdirSync(join(building, "var/cache/apt/archives/partial"), { recursive: true });
  renameSync(building, dir);
  pruneOldImages(dir);
  return dir;
}

/** Remove images of older recipes (the current one stays). */
function pruneOldImages(keep: string): void {
  for (const name of readdirSync(paths.baseImages)) {
    const path = join(paths.baseImages, name);
    if (path !== keep) rmSync(path, { recursive: true, force: true });
  }
}
