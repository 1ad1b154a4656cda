// Roles synthesised for one lab host without a connection: its resources, found by id, and the files they would write.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as assert from "uvu/assert";
import inventorySpec from "../../../hosts.ts";
import { debianFacts } from "../../../lib/testing/fake-transport.ts";
import { parseHostFacts } from "../../../lib/facts/host.ts";
import { loadInventory } from "../../../lib/inventory/load.ts";
import { definePlaybook, type Play } from "../../../lib/dsl/playbook.ts";
import type { Resource } from "../../../lib/resources/resource.ts";
import { buildHostWork, planPlays } from "../../../lib/runner/plan.ts";
import { openSecretStore } from "../../../lib/secrets/store.ts";
import { scratchDir } from "./scratch.ts";

export const inventory = loadInventory(inventorySpec, "lab");
const scratch = scratchDir("synth-");
const secrets = await openSecretStore({ file: "secrets.json", repoRoot: scratch, environment: "lab", generate: true });
/** Host keys as the runner would have pinned them (the lab's own known_hosts exists only while it is up). */
export const FIXTURE_HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDI3PLupRHJdduycR94kK9eP9ew+EyM4DKTr3eO2LYKq";
writeFileSync(join(scratch, "known_hosts"), inventory.hosts.map((host) => `${host.address} ${FIXTURE_HOST_KEY}\n`).join(""));
for (const host of inventory.hosts) host.ssh.knownHosts = join(scratch, "known_hosts");
export const address = (name: string) => inventory.host(name).privateAddress;

/** The host's resources for `play`, with facts of a Debian 12 host whose eth0 holds its lab address. */
export function synth(play: Play, hostName: string): Resource[] {
  const plays = planPlays(definePlaybook("synth", [play]), inventory, new Set([hostName]), secrets);
  return buildHostWork(plays[0]![0]!, parseHostFacts(debianFacts(hostName, address(hostName))), inventory, {}, async () => undefined).resources;
}

export function find(resources: Resource[], id: string): Resource {
  const resource = resources.find((item) => item.id === id);
  assert.ok(resource, `no ${id} in ${resources.map((item) => item.id).join(", ")}`);
  return resource!;
}

/** The content a file or template resource would write on a host where the file is absent. */
export function written(resources: Resource[], id: string): string {
  const script = find(resources, id).apply({ kind: "absent" });
  const body = /<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/.exec(script)![1]!;
  return Buffer.from(body.replace(/\n/g, ""), "base64").toString("utf8");
}
