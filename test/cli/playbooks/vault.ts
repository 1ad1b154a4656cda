// Test playbook: the cli_vault playbook as its own CLI (bin/foobar-infra test/cli/playbooks/vault.ts -i ENV …).
import { isMain, run } from "../../../lib/cli/main.ts";
import { inventory, vaultPlaybook } from "./fixture-site.ts";

if (isMain(import.meta.url)) void run(vaultPlaybook, inventory);
