// Test playbook: ssh_hardening told to let only another user log in — the new-login check must roll it back.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import sshHardening from "../../../roles/ssh_hardening/index.ts";

export const lockout = definePlaybook("sshd-lockout", [
  {
    name: "sshd that would lock the converge's user out",
    hosts: "all",
    roles: [{ role: sshHardening, vars: { allow_users: ["someone-else"] } }],
  },
]);

if (isMain(import.meta.url)) void run(lockout, inventory);
