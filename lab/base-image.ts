// The lab's base root filesystems, one per Debian release (and Debian unstable for MySQL's hosts): debootstrap once,
// tweak, cache on disk keyed by a hash of the recipe.
import { createHash } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ADMIN_SUDOERS, ADMIN_UID, ADMIN_USER } from "./environment/admin-user.ts";
import type { UnstableImage } from "./environment/db.ts";
import type { LabOs } from "./environment/os.ts";
import { machineMirror, type Mirror } from "./mirror.ts";
import { paths } from "./paths.ts";
import { capture, run } from "./run-command.ts";

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

/** A release an image is built from: a lab OS (stable, with updates and security suites) or Debian unstable. */
export type ImageRelease = LabOs | UnstableImage;

const KEYRING = "Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg";

/** The image's apt sources: a stable release's three suites, or unstable alone with no Valid-Until check (its only). */
function aptSources(os: ImageRelease, mirror: Mirror): string {
  if ("staleRelease" in os)
    return `Types: deb\nURIs: ${mirror.main}\nSuites: ${os.suite}\nComponents: main\nCheck-Valid-Until: no\n${KEYRING}\n`;
  return [
    `Types: deb\nURIs: ${mirror.main}\nSuites: ${os.suite} ${os.suite}-updates\nComponents: main\n${KEYRING}\n`,
    `Types: deb\nURIs: ${mirror.security}\nSuites: ${os.securitySuite}\nComponents: main\n${KEYRING}\n`,
  ].join("\n");
}

/** Every suite an image of `os` installs from: what the apt proxy lets through for it. */
export function imageSuites(os: ImageRelease): string[] {
  return "staleRelease" in os ? [os.suite] : [os.suite, `${os.suite}-updates`, os.securitySuite];
}

/** Files written into the base after debootstrap: path inside the rootfs → content. Nothing here depends on the lab's subnet. */
function tweakFiles(os: ImageRelease, mirror: Mirror): Record<string, string> {
  return {
    "/etc/machine-id": "",
    "/etc/apt/sources.list": "",
    "/etc/apt/sources.list.d/debian.sources": aptSources(os, mirror),
    "/etc/ssh/sshd_config.d/10-lab.conf":
      "PermitRootLogin prohibit-password\nPasswordAuthentication no\nKbdInteractiveAuthentication no\nUseDNS no\n",
    "/etc/default/locale": "LANG=C.UTF-8\n",
  };
}

function recipe(os: ImageRelease, mirror: Mirror) {
  return {
    version: 5,
    suite: os.suite,
    packages: PACKAGES,
    masked: MASKED_UNITS,
    files: tweakFiles(os, mirror),
    admin: [ADMIN_USER, ADMIN_UID, ADMIN_SUDOERS],
    mirror,
    // Unstable's own step (checkInstallable); the stable releases' recipes stay as they were, and so do their images.
    ...("staleRelease" in os ? { mustInstall: os.mustInstall } : {}),
  };
}

/** The directory of the release's base image for the current recipe (may not be built yet). */
export function baseImageDir(os: ImageRelease): string {
  const hash = createHash("sha256")
    .update(JSON.stringify(recipe(os, machineMirror())))
    .digest("hex")
    .slice(0, 16);
  return join(paths.baseImages, `${os.suite}-${hash}`);
}

/** Build the release's base image unless the current recipe's is cached; returns its directory. */
export async function ensureBaseImage(os: ImageRelease, log: (line: string) => void): Promise<string> {
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
  if ("staleRelease" in os) await checkInstallable(os, building);
  rmSync(join(building, "var/cache/apt/archives"), { recursive: true, force: true });
  mkdirSync(join(building, "var/cache/apt/archives/partial"), { recursive: true });
  if (existsSync(join(dir, "etc", "os-release"))) rmSync(building, { recursive: true, force: true });
  else renameSync(building, dir);
  pruneOldImages(os, dir);
  return dir;
}

/**
 * Unstable moves daily and is sometimes broken for a while: before the image is kept, apt (inside it, through its own
 * sources) must find the packages its hosts will install installable, or the build stops naming them.
 */
async function checkInstallable(os: UnstableImage, building: string): Promise<void> {
  const apt = ["apt-get", "-q", "-o", "APT::Sandbox::User=root"];
  await run("chroot", [building, ...apt, "update"]);
  const simulated = await capture("chroot", [
    building,
    ...apt,
    "--simulate",
    "--no-install-recommends",
    "install",
    ...os.mustInstall,
  ]);
  for (const file of ["pkgcache.bin", "srcpkgcache.bin"])
    rmSync(join(building, "var/cache/apt", file), { force: true });
  if (simulated.code !== 0) {
    const detail = (simulated.stderr || simulated.stdout).trim().split("\n").slice(-8).join("\n");
    throw new Error(
      `lab: ${os.release} cannot install ${os.mustInstall.join(", ")} today (unstable is broken for a while now and then), so no image was kept:\n${detail}\nTry again later (\`npm run lab -- up --db mysql\` rebuilds it), or use the default database (--db mariadb).`,
    );
  }
}

/** Remove finished images of the release's older recipes (the current one, other releases' and builds in progress stay). */
function pruneOldImages(os: ImageRelease, keep: string): void {
  for (const name of readdirSync(paths.baseImages)) {
    const path = join(paths.baseImages, name);
    if (path !== keep && name.startsWith(`${os.suite}-`) && !name.includes(".building-"))
      rmSync(path, { recursive: true, force: true });
  }
}
