// Test playbook: the secrets command for the fixture's environment, as playbooks/secrets.ts is for hosts.ts.
import { isMain } from "../../../lib/cli/main.ts";
import { secretsCommand } from "../../../lib/cli/secrets-command.ts";
import { exitWith, runStep } from "../../../lib/cli/steps.ts";
import { inventory, vaultPlaybook } from "./fixture-site.ts";

if (isMain(import.meta.url))
  exitWith(
    secretsCommand({
      inventory,
      playbook: vaultPlaybook,
      rotations: {},
      converge: (cli, limit) => runStep(cli, inventory, vaultPlaybook, limit),
    }),
  );
