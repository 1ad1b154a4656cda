// vagrant/Vagrantfile stays what hosts.ts says (hosts, addresses, the VIP) and valid to Vagrant itself (`vagrant validate`).
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventorySpec from "../../hosts.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { tool } from "../../lab/requirements.ts";

const VAGRANT_DIR = join(import.meta.dirname, "../../vagrant");
const vagrantfile = readFileSync(join(VAGRANT_DIR, "Vagrantfile"), "utf8");

test("the Vagrantfile defines exactly the hosts and VIP of the vagrant environment", () => {
  const inventory = loadInventory(inventorySpec, "vagrant");
  const defined = Object.fromEntries(
    [...vagrantfile.matchAll(/^\s+"([a-z0-9-]+)"\s+=> "([0-9.]+)",$/gm)].map((match) => [match[1], match[2]]),
  );
  assert.equal(defined, Object.fromEntries(inventory.hosts.map((host) => [host.name, host.address])));
  assert.match(
    vagrantfile,
    new RegExp(`^VIP = "${(inventory.vars.keepalived as { vip: string }).vip.replace(/\./g, "\\.")}"$`, "m"),
  );
});

test("vagrant validate accepts the Vagrantfile", () => {
  const result = spawnSync(tool("vagrant"), ["validate", "--ignore-provider"], {
    cwd: VAGRANT_DIR,
    encoding: "utf8",
    env: { ...process.env, VAGRANT_CHECKPOINT_DISABLE: "1" },
  });
  assert.is(result.error, undefined, "vagrant is not installed: npm test installs it (lab/packages.ts install test)");
  assert.is(result.status, 0, `${result.stdout}${result.stderr}`);
  assert.match(result.stdout, /validated successfully/);
});

test.run();
