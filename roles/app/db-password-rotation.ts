// Rotating a database account's password without a failed request: the account accepts the new and the retiring
// password, each web host is drained, converged with the new one and put back once healthy, then the old one is dropped.
import type { CliOptions } from "../../lib/cli/args.ts";
import { REPO_ROOT, sshConnector } from "../../lib/cli/connector.ts";
import { runStep } from "../../lib/cli/steps.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import type { InventorySpec } from "../../lib/inventory/types.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import type { Role } from "../../lib/dsl/role.ts";
import { resolveBecomePasswordsOf } from "../../lib/secrets/become.ts";
import type { ApplyRotation } from "../../lib/secrets/rotation.ts";
import app from "./index.ts";
import { rollWebHosts } from "./rolling.ts";

export interface DbPasswordRotation {
  cli: CliOptions;
  inventory: InventorySpec;
  say: (line: string) => void;
  /** The group whose database holds the account (db_primary for the writer, db_replica for the reader). */
  dbGroup: string;
  /** The database role that manages the account, and its var for the retiring password. */
  role: Role;
  retiringVar: string;
}

export function dbPasswordRotation(options: DbPasswordRotation): ApplyRotation {
  const { cli, inventory, say, dbGroup, role, retiringVar } = options;
  return async ({ retiring }) => {
    const loaded = loadInventory(inventory, cli.environment);
    const dbHosts = loaded
      .group(dbGroup)
      .map((host) => host.name)
      .join(",");
    const accounts = (vars: Record<string, unknown>, what: string) =>
      definePlaybook(`rotate ${retiringVar.replace(/_retiring$/, "")}`, [
        { name: what, hosts: dbGroup, roles: [{ role, vars }] },
      ]);
    say(`${dbGroup}: the account accepts the new and the old password`);
    const both = await runStep(
      cli,
      inventory,
      accounts({ [retiringVar]: retiring }, "the account accepts the new and the retiring password"),
      dbHosts,
    );
    if (both !== 0) return both;
    await resolveBecomePasswordsOf(loaded.hosts, loaded, REPO_ROOT);
    const connect = sshConnector(cli);
    const lbs = await Promise.all(loaded.group("lb").map(async (host) => ({ host, transport: await connect(host) })));
    const apps = definePlaybook("rotate: apps", [
      { name: "the app with the new password", hosts: "web", roles: [app] },
    ]);
    try {
      const rolled = await rollWebHosts({
        playbook: "secrets.ts rotate",
        webHosts: loaded.group("web"),
        lbs,
        connect,
        say,
        drainMs: 30_000,
        healthMs: 60_000,
        converge: (host) => runStep({ ...cli, forks: 1 }, inventory, apps, host.name),
        healthy: (health) => health.status === "ok",
        expected: "healthy with both databases reachable",
      });
      if (rolled !== 0) return rolled;
    } finally {
      await Promise.all(lbs.map((lb) => lb.transport.close()));
    }
    say(`${dbGroup}: the old password is no longer accepted`);
    return runStep(cli, inventory, accounts({}, "the account accepts the new password only"), dbHosts);
  };
}
