// No-op re-converge of the lab with Ansible (Debian's ansible-core), default settings, tuned and with Mitogen, on the
// playbook bench/ansible/generate.ts writes from the converged site.
import { existsSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../lab/paths.ts";
import { capture } from "../lab/run-command.ts";
import { ANSIBLE_DIR, generateAnsibleSite } from "./ansible/generate.ts";
import { timeRuns, type Summary } from "./stats.ts";

export function ansibleAvailable(): boolean {
  return existsSync("/usr/bin/ansible-playbook");
}

type AnsibleConfig = "default" | "tuned" | "mitogen";
const CONTROL_DIR = "/tmp/foobar-bench-ansible-cp";

async function playbook(config: AnsibleConfig): Promise<void> {
  const result = await capture("ansible-playbook", ["-i", join(ANSIBLE_DIR, "inventory.ini"), join(ANSIBLE_DIR, "site.yml")], {
    env: { ...process.env, ANSIBLE_CONFIG: join(REPO_ROOT, "bench", "ansible", `ansible-${config}.cfg`), ANSIBLE_NOCOLOR: "1", ANSIBLE_HOST_KEY_CHECKING: "True" },
  });
  const recap = result.stdout.slice(result.stdout.lastIndexOf("PLAY RECAP"));
  if (result.code !== 0 || /changed=[1-9]|failed=[1-9]|unreachable=[1-9]/.test(recap)) {
    throw new Error(`ansible-playbook (${config}) is not a clean no-op (exit ${result.code}):\n${recap || result.stdout.slice(-2000)}${result.stderr.slice(-1000)}`);
  }
}

/** The tuned config's ControlPersist masters would outlive the bench by 300 s: ask each to exit, then remove their directory. */
async function closeAnsibleMasters(): Promise<void> {
  for (const socket of existsSync(CONTROL_DIR) ? readdirSync(CONTROL_DIR) : []) {
    await capture("ssh", ["-o", `ControlPath=${join(CONTROL_DIR, socket)}`, "-O", "exit", "unused"]);
  }
  rmSync(CONTROL_DIR, { recursive: true, force: true });
}

export async function ansibleNoop(runs: number): Promise<{ tasksPerHost: Record<string, number>; default: Summary; tuned: Summary; mitogen: Summary }> {
  const tasksPerHost = await generateAnsibleSite();
  await closeAnsibleMasters();
  try {
    const defaults = await timeRuns(runs, () => playbook("default"), 1);
    const tuned = await timeRuns(runs, () => playbook("tuned"), 1); // the warm-up run opens the persistent connections
    const mitogen = await timeRuns(runs, () => playbook("mitogen"), 1);
    return { tasksPerHost, default: defaults, tuned, mitogen };
  } finally {
    await closeAnsibleMasters();
  }
}
