// Test playbook: the ufw role told to allow SSH only from a network the runner is not on — it must roll itself back.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import ufw from "../../../roles/ufw/index.ts";

export const lockout = definePlaybook("ufw-lockout", [
  {
    name: "firewall that would lock the runner out",
    hosts: "all",
    roles: [{ role: ufw, vars: { ssh_allow_from: ["10.255.255.0/24"] } }],
  },
]);

if (isMain(import.meta.url)) void run(lockout, inventory);
