// Roles synthesised for one lab host without a connection: its resources, found by id, and the files they would write.
import * as assert from "uvu/assert";
import inventorySpec from "../../../hosts.ts";
import { openSynthesis } from "../../../lib/docs/synthesis.ts";
import type { Play } from "../../../lib/dsl/playbook.ts";
import { loadInventory } from "../../../lib/inventory/load.ts";
import type { Resource } from "../../../lib/resources/resource.ts";
import { scratchDir } from "./scratch.ts";

export const inventory = loadInventory(inventorySpec, "lab");
const synthesise = await openSynthesis(inventory, scratchDir("synth-"));
export const address = (name: string) => inventory.host(name).privateAddress;

/** The host's resources for `play`, with facts of a Debian 12 host whose eth0 holds its lab address. */
export function synth(play: Play, hostName: string): Resource[] {
  return synthesise(play, hostName).resources;
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
