// No-op re-converge of the lab with Ansible (Debian's ansible-core), default settings, tuned and with Mitogen, on the
// playbook bench/ansible/generate.ts writes from the converged site.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootCommand } from "../lab/machine.ts";
import { REPO_ROOT } from "../lab/paths.ts";
import { capture } from "../lab/run-command.ts";
import { labHosts } from "../lab/topology.ts";
import { closeControlMasters } from "../lib/connection/control-masters.ts";
import { ANSIBLE_DIR, generateAnsibleSite } from "./ansible/generate.ts";
import { timeRuns, type Summary } from "./stats.ts";

export function ansibleAvailable(): boolean {
  return existsSync("/usr/bin/ansible-playbook");
}

type AnsibleConfig = "default" | "tuned" | "mitogen";
const CONTROL_DIR = "/tmp/foobar-bench-ansible-cp";

async function playbook(config: AnsibleConfig, becomePasswordFile: string[]): Promise<void> {
  const result = await capture(
    "ansible-playbook",
    ["-i", join(ANSIBLE_DIR, "inventory.ini"), ...becomePasswordFile, join(ANSIBLE_DIR, "site.yml")],
    {
      env: {
        ...process.env,
        ANSIBLE_CONFIG: join(REPO_ROOT, "bench", "ansible", `ansible-${config}.cfg`),
        ANSIBLE_NOCOLOR: "1",
        ANSIBLE_HOST_KEY_CHECKING: "True",
      },
    },
  );
  const recap = result.stdout.slice(result.stdout.lastIndexOf("PLAY RECAP"));
  if (result.code !== 0 || /changed=[1-9]|failed=[1-9]|unreachable=[1-9]/.test(recap)) {
    throw new Error(
      `ansible-playbook (${config}) is not a clean no-op (exit ${result.code}):\n${recap || result.stdout.slice(-2000)}${result.stderr.slice(-1000)}`,
    );
  }
}

/**
 * Ansible's apt module needs python3-apt on the host (the site installs no Recommends, so the hosts lack it); without
 * it the module installs it itself, which is no no-op, or under Mitogen fails to respawn. Installed once, before timing.
 */
async function installAnsibleHostRequirement(): Promise<void> {
  await Promise.all(
    labHosts().map(async (host) => {
      const { args, input } = rootCommand(
        host,
        "DEBIAN_FRONTEND=noninteractive apt-get -q -y -o DPkg::Lock::Timeout=300 --no-install-recommends install python3-apt >/dev/null",
      );
      const result = await capture("ssh", args, { input });
      if (result.code !== 0)
        throw new Error(`python3-apt for Ansible on ${host.name} (exit ${result.code}): ${result.stderr.slice(-1000)}`);
    }),
  );
}

/** The tuned config's ControlPersist masters would outlive the bench by 300 s: ask each to exit, then remove their directory. */
function closeAnsibleMasters(): void {
  closeControlMasters(CONTROL_DIR);
  rmSync(CONTROL_DIR, { recursive: true, force: true });
}

export async function ansibleNoop(
  runs: number,
): Promise<{ tasksPerHost: Record<string, number>; default: Summary; tuned: Summary; mitogen: Summary }> {
  const { tasksPerHost, becomePassword } = await generateAnsibleSite();
  await installAnsibleHostRequirement();
  closeAnsibleMasters();
  // The password in a 0600 file of a 0700 directory of its own, removed afterwards: never on a command line or in a log.
  const secretDir = becomePassword ? mkdtempSync(join(tmpdir(), "foobar-bench-become-")) : undefined;
  const passwordFile = secretDir ? join(secretDir, "become") : undefined;
  if (passwordFile) writeFileSync(passwordFile, `${becomePassword!.reveal()}\n`, { mode: 0o600 });
  const extra = passwordFile ? ["--become-password-file", passwordFile] : [];
  try {
    const defaults = await timeRuns(runs, () => playbook("default", extra), 1);
    const tuned = await timeRuns(runs, () => playbook("tuned", extra), 1); // the warm-up run opens the persistent connections
    const mitogen = await timeRuns(runs, () => playbook("mitogen", extra), 1);
    return { tasksPerHost, default: defaults, tuned, mitogen };
  } finally {
    closeAnsibleMasters();
    if (secretDir) rmSync(secretDir, { recursive: true, force: true });
  }
}
