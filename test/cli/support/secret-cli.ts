// Test support: the playbook CLI (lib/cli/main.ts's run) run once per argument list of SECRET_CLI_RUNS (JSON) over one
// fake host, whose role sets a key to the secret scan_seed and fails a step that echoes it; a run with roleError has
// the role throw an error quoting it. secrets-scan.test.ts runs this with FOOBAR_SECRET_SCAN_SEED set and scans what
// it prints. After each run, on stderr: "run N: exit C, execs carrying the secret: K" (a count, never the value).
import { run } from "../../../lib/cli/main.ts";
import { definePlaybook } from "../../../lib/dsl/playbook.ts";
import { defineRole } from "../../../lib/dsl/role.ts";
import { RoleVars, SecretVar } from "../../../lib/dsl/role-vars.ts";
import { secret } from "../../../lib/secret.ts";
import type { FakeLog } from "../../../lib/testing/fake-transport.ts";
import { withDecodedBase64 } from "../../unit/support/base64-runs.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "../../unit/support/kv-host.ts";

export interface SecretCliRun {
  argv: string[];
  roleError?: boolean;
}

const runs = JSON.parse(process.env.SECRET_CLI_RUNS ?? "[]") as SecretCliRun[];
const value = process.env.FOOBAR_SECRET_SCAN_SEED ?? "";
for (const [index, { argv, roleError }] of runs.entries()) {
  const role = defineRole({
    name: "scan",
    dir: import.meta.dirname,
    schema: RoleVars({ seed: SecretVar({ description: "The seeded secret." }) }),
    tasks: ({ vars }) => {
      if (roleError) throw new Error(`cannot use ${vars.seed.reveal()}`);
      return [kv("seed", vars.seed.reveal()), { ...kv("check", "x"), apply: () => `fail ${vars.seed.reveal()}` }];
    },
  });
  const log: FakeLog = { execs: [] };
  const code = await run(
    definePlaybook("scan", [{ name: "p", hosts: "all_fake", roles: [role] }]),
    fakeInventory(["h1"], { vars: { scan: { seed: secret("scan_seed") } } }),
    argv,
    { connect: connectorFor(newHosts(["h1"]), log), factsDir: null },
  );
  const carried = log.execs.filter((exec) => value && withDecodedBase64(exec.stdin).includes(value)).length;
  console.error(`run ${index}: exit ${code}, execs carrying the secret: ${carried}`);
}
process.exitCode = 0;
