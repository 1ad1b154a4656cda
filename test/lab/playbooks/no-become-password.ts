// Test playbook: the site with hosts.ts's lab inventory minus the become_password of the host whose sudo asks — the
// run must stop on that host before changing anything, naming become_password.
import inventory from "../../../hosts.ts";
import { SUDO_ASKS_ON } from "../../../lab/environment/admin-user.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { defineInventory } from "../../../lib/inventory/define.ts";
import { site } from "../../../playbooks/site.ts";

const lab = inventory.environments.lab;
export const withoutBecomePassword = defineInventory({
  environments: {
    lab: { ...lab, hosts: { ...lab.hosts, [SUDO_ASKS_ON]: { address: lab.hosts[SUDO_ASKS_ON].address } } },
  },
});

if (isMain(import.meta.url)) void run(site, withoutBecomePassword);
