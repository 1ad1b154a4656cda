// The lab's base root filesystems, one per Debian release: debootstrap once, tweak, cache on disk keyed by a hash of the recipe.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_SUDOERS, ADMIN_UID, ADMIN_USER } from "./environment/admin-user.ts";
import type { LabOs } from "./environment/os.ts";
import { machineMirror, type Mirror } from "./mirror.ts";
import { paths } from "./paths.ts";
import { run } from "./run-command.ts";

/** python3 lets the benchmark drive the same hosts with Ansible; netcat/procps serve the tests' port checks. */
const PACKAGES = [
  "systemd",
  "systemd-sysv",
  "dbus",
  "openssh-server",
  "iproute2",
  "iputils-ping",
  "ca-certificates",
  "sudo",
  "curl",
  "gnupg",
  "procps",
  "netcat-openbsd",
  "python3",
  "less",
];
/** Units that make no sense in a container or would take the dpkg lock behind the tests' backs. */
const MASKED_UNITS = [
  "console-getty.service",
  "apt-daily.timer",
  "apt-daily-upgrade.timer",
  "systemd-resolved.service",
];

/** Files written into the base after debootstrap: path inside the rootfs → content. Nothing here depends on the lab's subnet. */
function tweakFiles(os: LabOs, mirror: Mirror): Record<string, string> {
  return {
    "/etc/machine-id": "",
    "/etc/apt/sources.list": "",
    "/etc/apt/sources.list.d/debian.sources": [
      `Types: deb\nURIs: ${mirror.main}\nSuites: ${os.suite} ${os.suite}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
      `Types: deb\nURIs: ${mirror.security}\nSuites: ${os.securitySuite}\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
    ].join("\n"),
    "/etc/ssh/sshd_config.d/10-lab.conf":
      "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUseDNS no\n",
    "/etc/default/locale": "LANG=C.UTF-8\n",
  };
}

function recipe(os: LabOs, mirror: Mirror) {
  return {
    version: 5,
    suite: os.suite,
    packages: PACKAGES,
    masked: MASKED_UNITS,
    files: tweakFiles(os, mirror),
    admin: [ADMIN_USER, ADMIN_UID, ADMIN_SUDOERS],
    mirror,
  };
}

/** The directory of the release's base image for the current recipe (may not be built yet). */
export function baseImageDir(os: LabOs): string {
  const hash = createHash("sha256")
    .update(JSON.stringify(recipe(os, machineMirror())))
    .digest("hex")
    .slice(0, 16);
  return join(paths.baseImages, `${os.suite}-${hash}`);
}

/** Build the release's base image unless the current recipe's is cached; returns its directory. */
export async function ensureBaseImage(os: LabOs, log: (line: string) => void): Promise<string> {
  const dir = baseImageDir(os);
  if (existsSync(join(dir, "etc", "os-release"))) return dir;
  const mirror = machineMirror();
  // Per-process build dir: two labs building at once each finish their own copy; the first rename wins.
  const building = `${dir}.building-${process.pid}`;
  rmSync(building, { recursive: true, force: true });
  mkdirSync(paths.baseImages, { recursive: true });
  log(`building the ${os.release} base image ${dir} from ${mirror.main} (once; 1–2 min)`);
  await run("debootstrap", ["--variant=minbase", `--include=${PACKAGES.join(",")}`, os.suite, building, mirror.main]);
  for (const [path, content] of Object.entries(recipe(os, mirror).files)) writeFileSync(join(building, path), content);
  // Like a cloud image: the default user in group sudo with passwordless sudo; root has no key (lab/machine.ts gives the user one).
  await run("chroot", [
    building,
    "useradd",
    "--create-home",
    "--shell",
    "/bin/bash",
    "--uid",
    String(ADMIN_UID),
    "--user-group",
    "--groups",
    "sudo",
    ADMIN_USER,
  ]);
  writeFileSync(join(building, ADMIN_SUDOERS.path), ADMIN_SUDOERS.content);
  chmodSync(join(building, ADMIN_SUDOERS.path), 0o440);
  for (const unit of MASKED_UNITS) {
    rmSync(join(building, "etc/systemd/system", unit), { force: true });
    await run("ln", ["-s", "/dev/null", join(building, "etc/systemd/system", unit)]);
  }
  // Host keys are per host (kept across resets), never baked into the shared base.
  for (const file of readdirSync(join(building, "etc/ssh")).filter((name) => name.startsWith("ssh_host_")))
    rmSync(join(building, "etc/ssh", file));
  rmSync(join(building, "var/cache/apt/archives"), { recursive: true, force: true });
  mkdirSync(join(building, "var/cache/apt/archives/partial"), { recursive: true });
  if (existsSync(join(dir, "etc", "os-release"))) rmSync(building, { recursive: true, force: true });
  else renameSync(building, dir);
  pruneOldImages(os, dir);
  return dir;
}

/** Remove finished images of the release's older recipes (the current one, other releases' and builds in progress stay). */
function pruneOldImages(os: LabOs, keep: string): void {
  for (const name of readdirSync(paths.baseImages)) {
    const path = join(paths.baseImages, name);
    if (path !== keep && name.startsWith(`${os.suite}-`) && !name.includes(".building-"))
      rmSync(path, { recursive: true, force: true });
  }
}
