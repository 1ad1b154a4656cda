// `foobar-infra bench/playbooks/scale.ts -i bench`: 30 resources per loopback host, as a user's playbook file (FOOBAR_BENCH_HOSTS hosts, default 100).
import { posix } from "node:path";
import { isMain, run } from "../../lib/cli/main.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { DATA_DIR, loopbackInventory } from "../loopback-inventory.ts";

const synthetic = defineRole({
  name: "synthetic",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ r, host }) => {
    const dir = posix.join(DATA_DIR, host.name);
    return [
      r.directory(dir, { mode: "0755" }),
      ...Array.from({ length: 29 }, (_, index) =>
        r.file(
          posix.join(dir, `setting-${index}.conf`),
          `# synthetic ${index}\nkey${index} = value of ${host.name}\n`,
          { mode: "0644" },
        ),
      ),
    ];
  },
});

export const scalePlaybook = definePlaybook("scale", [
  { name: "thirty resources", hosts: "bench", roles: [synthetic] },
]);

if (isMain(import.meta.url)) void run(scalePlaybook, loopbackInventory(Number(process.env.FOOBAR_BENCH_HOSTS ?? 100)));
