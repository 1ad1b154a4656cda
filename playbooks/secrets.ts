// The team's secrets: `npx tsx playbooks/secrets.ts COMMAND [-i ENV]` (identity, list, set, edit, recipients, rotate).
// Database passwords rotate without a failed request; any other secret rotates by converging the hosts that use it.
import inventory from "../hosts.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith, runStep } from "../lib/cli/steps.ts";
import { secretsCommand, type SecretsCommandSite } from "../lib/cli/secrets-command.ts";
import { dbPasswordRotation } from "../roles/app/db-password-rotation.ts";
import mysqlPrimary from "../roles/mysql_primary/index.ts";
import mysqlReplica from "../roles/mysql_replica/index.ts";
import { site } from "./site.ts";

export const secretsSite: SecretsCommandSite = {
  inventory,
  playbook: site,
  rotations: {
    db_app_password: (cli, say) =>
      dbPasswordRotation({
        cli,
        inventory,
        say,
        dbGroup: "db_primary",
        role: mysqlPrimary,
        retiringVar: "app_password_retiring",
      }),
    db_read_password: (cli, say) =>
      dbPasswordRotation({
        cli,
        inventory,
        say,
        dbGroup: "db_replica",
        role: mysqlReplica,
        retiringVar: "read_password_retiring",
      }),
  },
  converge: (cli, limit) => runStep(cli, inventory, site, limit),
};

if (isMain(import.meta.url)) exitWith(secretsCommand(secretsSite));
