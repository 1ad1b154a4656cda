// Writes an Ansible playbook equivalent to a converged `site.ts -i lab` (same packages, files, services, checks),
// for the no-op comparison in `npm run bench`. Output: .cache/bench/ansible/ (inventory, site.yml, files/).
// Files readable by others are copied from src (Ansible compares checksums); private ones (secrets) are only
// checksummed with stat + assert, so no secret is written to the controller's disk.
import { ADMIN_USER } from "../../lab/environment/admin-user.ts";
import { runScript } from "../../lib/connection/shell-session.ts";
import { createHash } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import inventorySpec from "../../hosts.ts";
import { sshConnector } from "../../lib/cli/connector.ts";
import { probeScript } from "../../lib/facts/probe-kinds.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { paths, REPO_ROOT } from "../../lab/paths.ts";
import { factsCache } from "../../lib/runner/facts-cache.ts";
import { buildHostWork, planPlays } from "../../lib/runner/plan.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { resolveBecomePasswords } from "../../lib/secrets/become.ts";
import { Secret } from "../../lib/secret.ts";
import { openSecretStore } from "../../lib/secrets/store.ts";
import { site } from "../../playbooks/site.ts";

export const ANSIBLE_DIR = join(REPO_ROOT, ".cache", "bench", "ansible");

interface LiveFile {
  mode: string;
  owner: string;
  group: string;
  content: Buffer;
  link?: string;
}

const yamlString = (value: string) => JSON.stringify(value);

/** Path a file-like resource manages, or undefined. */
function managedPath(id: string): { kind: "file" | "directory" | "symlink"; path: string } | undefined {
  const [kind, ...rest] = id.split(":");
  const name = rest.join(":");
  if (kind === "file" || kind === "template") return { kind: "file", path: name };
  if (kind === "systemd_unit") return { kind: "file", path: `/etc/systemd/system/${name}` };
  if (kind === "systemd_drop_in") return { kind: "file", path: `/etc/systemd/system/${name}` };
  if (kind === "directory") return { kind: "directory", path: name };
  if (kind === "symlink") return { kind: "symlink", path: name };
  return undefined;
}

async function readLive(host: Host, files: string[]): Promise<Map<string, LiveFile>> {
  const transport = await sshConnector({ acceptNewHostKeys: false, timeoutSeconds: 60 })(host);
  try {
    const script = files
      .map(
        (path) =>
          `p='${path}'; if [ -L "$p" ]; then echo "L $(stat -c '%a %U %G' "$p") $(readlink "$p")"; elif [ -f "$p" ]; then echo "F $(stat -c '%a %U %G' "$p") $(base64 -w0 "$p")"; elif [ -d "$p" ]; then echo "D $(stat -c '%a %U %G' "$p") -"; else echo "A 0 - - -"; fi`,
      )
      .join("\n");
    const result = await runScript(transport, host, script, 60_000);
    const live = new Map<string, LiveFile>();
    result.stdout
      .trim()
      .split("\n")
      .forEach((line, index) => {
        const [type, mode, owner, group, data] = line.split(" ") as [string, string, string, string, string];
        if (type === "A") return;
        live.set(files[index]!, {
          mode: mode.padStart(4, "0"),
          owner,
          group,
          content: type === "F" ? Buffer.from(data, "base64") : Buffer.alloc(0),
          link: type === "L" ? data : undefined,
        });
      });
    return live;
  } finally {
    await transport.close();
  }
}

function task(resource: Resource, live: Map<string, LiveFile>, host: string): string[] {
  const [kind, ...rest] = resource.id.split(":");
  const name = rest.join(":");
  const managed = managedPath(resource.id);
  if (kind === "package")
    return [
      `    - name: ${yamlString(resource.id)}`,
      `      ansible.builtin.apt: { name: ${JSON.stringify(name.split(","))}, state: present }`,
    ];
  if (kind === "service")
    return [
      `    - name: ${yamlString(resource.id)}`,
      `      ansible.builtin.systemd: { name: ${yamlString(name)}, state: started, enabled: true }`,
    ];
  if (kind === "user")
    return [
      `    - name: ${yamlString(resource.id)}`,
      `      ansible.builtin.user: { name: ${yamlString(name)}, system: true, create_home: false }`,
    ];
  if (managed) {
    const file = live.get(managed.path);
    if (!file) return [];
    const attributes = `owner: ${file.owner}, group: ${file.group}, mode: "${file.mode}"`;
    if (managed.kind === "directory")
      return [
        `    - name: ${yamlString(resource.id)}`,
        `      ansible.builtin.file: { path: ${yamlString(managed.path)}, state: directory, ${attributes} }`,
      ];
    if (managed.kind === "symlink" || file.link)
      return [
        `    - name: ${yamlString(resource.id)}`,
        `      ansible.builtin.file: { path: ${yamlString(managed.path)}, state: link, src: ${yamlString(file.link ?? "")} }`,
      ];
    if ((parseInt(file.mode, 8) & 0o004) === 0) {
      const sha1 = createHash("sha1").update(file.content).digest("hex");
      return [
        `    - name: ${yamlString(`${resource.id} (private: checksum only)`)}`,
        `      ansible.builtin.stat: { path: ${yamlString(managed.path)}, checksum_algorithm: sha1 }`,
        `      register: private_file`,
        `    - ansible.builtin.assert: { that: ["private_file.stat.checksum == '${sha1}'", "private_file.stat.mode == '${file.mode}'"], quiet: true }`,
      ];
    }
    const source = join(ANSIBLE_DIR, "files", host, managed.path);
    mkdirSync(dirname(source), { recursive: true });
    writeFileSync(source, file.content);
    return [
      `    - name: ${yamlString(resource.id)}`,
      `      ansible.builtin.copy: { src: ${yamlString(source)}, dest: ${yamlString(managed.path)}, ${attributes} }`,
    ];
  }
  // Everything else (database state, firewall, replication, guarded commands): the same read-only check our probe runs.
  return [
    `    - name: ${yamlString(resource.id)}`,
    `      ansible.builtin.shell: ${yamlString(probeScript(resource.probe({ diff: false })))}`,
    `      changed_when: false`,
  ];
}

/**
 * Generate the playbook and inventory; returns the number of tasks per host and the become password the hosts whose
 * sudo asks share (Ansible takes one, from --become-password-file; sudo without a password never asks for it).
 */
export async function generateAnsibleSite(): Promise<{
  tasksPerHost: Record<string, number>;
  becomePassword?: Secret;
}> {
  const inventory = loadInventory(inventorySpec, "lab");
  const secrets = await openSecretStore({
    file: inventory.secretsFile,
    repoRoot: REPO_ROOT,
    environment: inventory.environment,
    generate: inventory.generateSecrets,
  });
  const plays = planPlays(site, inventory, new Set(inventory.hosts.map((host) => host.name)), secrets);
  resolveBecomePasswords(inventory.hosts, secrets);
  const becomePasswords = [
    ...new Map(
      inventory.hosts.flatMap((host) =>
        host.ssh.becomePassword instanceof Secret
          ? [[host.ssh.becomePassword.reveal(), host.ssh.becomePassword] as const]
          : [],
      ),
    ).values(),
  ];
  if (becomePasswords.length > 1)
    throw new Error(
      `the Ansible bench passes one become password to every host, and the lab inventory has ${becomePasswords.length} different ones`,
    );
  const facts = factsCache(join(REPO_ROOT, ".cache", "facts"), "lab");
  rmSync(ANSIBLE_DIR, { recursive: true, force: true });
  mkdirSync(ANSIBLE_DIR, { recursive: true });
  const lines = [
    "# Generated by bench/ansible/generate.ts from a converged `site.ts -i lab`: the same state, as Ansible tasks.",
  ];
  const counts: Record<string, number> = {};
  for (const host of inventory.hosts) {
    const hostFacts = facts.get(host.name);
    if (!hostFacts) throw new Error(`no cached facts for ${host.name}: run npx tsx playbooks/site.ts -i lab first`);
    const resources = plays.flatMap((hostPlays) =>
      hostPlays
        .filter((item) => item.host.name === host.name)
        .flatMap((item) => buildHostWork(item, hostFacts, inventory, {}, async () => undefined).resources),
    );
    const live = await readLive(
      host,
      resources.flatMap((resource) => managedPath(resource.id)?.path ?? []),
    );
    const tasks = resources.flatMap((resource) => task(resource, live, host.name));
    counts[host.name] = tasks.filter((line) => line.startsWith("    - ")).length;
    lines.push(`- name: ${host.name}`, `  hosts: ${host.name}`, "  tasks:", ...tasks);
  }
  writeFileSync(join(ANSIBLE_DIR, "site.yml"), `${lines.join("\n")}\n`);
  const knownHosts = paths.knownHosts;
  writeFileSync(
    join(ANSIBLE_DIR, "inventory.ini"),
    [
      ...inventory.hosts.map((host) => `${host.name} ansible_host=${host.address}`),
      "[all:vars]",
      `ansible_user=${ADMIN_USER}`,
      "ansible_become=true",
      `ansible_ssh_private_key_file=${paths.clientKey}`,
      `ansible_ssh_common_args='-o UserKnownHostsFile=${knownHosts} -o StrictHostKeyChecking=yes -o IdentitiesOnly=yes'`,
      "",
    ].join("\n"),
  );
  return { tasksPerHost: counts, becomePassword: becomePasswords[0] };
}
