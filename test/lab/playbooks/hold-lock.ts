// Test playbook: one task on the web hosts that takes 8 s (a command whose guard always finds it needed), so a test
// can meet the converge lock this run holds meanwhile, or kill the run while it holds it.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import { RoleVars } from "../../../lib/dsl/role-vars.ts";

const slowTask = defineRole({
  name: "slow_task",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ r }) => [r.command("take 8 s", "sleep 8", { onlyIf: "true" })],
});

export const holdLock = definePlaybook("hold-lock", [{ name: "an 8 s task", hosts: "web", roles: [slowTask] }]);

if (isMain(import.meta.url)) void run(holdLock, inventory);
