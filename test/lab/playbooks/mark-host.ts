// Test playbook: one change on every host it is limited to (a command whose guard always finds it needed), so a test
// can show the run must take each host's converge lock, e.g. while failover.ts holds it.
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import { RoleVars } from "../../../lib/dsl/role-vars.ts";

const markHost = defineRole({
  name: "mark_host",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ r }) => [r.command("mark the run", "date +%s.%N > /run/foobar-marked", { onlyIf: "true" })],
});

export const markHosts = definePlaybook("mark-host", [
  { name: "a change on each host", hosts: "all", roles: [markHost] },
]);

if (isMain(import.meta.url)) void run(markHosts, inventory);
