// Test playbook: failover.ts with the inventory after a failover to db-02 (to fail back: --promote db-01).
import inventory from "../../../hosts.ts";
import { isMain } from "../../../lib/cli/main.ts";
import { exitWith } from "../../../lib/cli/steps.ts";
import { failover } from "../../../playbooks/failover.ts";
import { swapDbGroups } from "../../../roles/mysql_common/topology-swap.ts";

if (isMain(import.meta.url)) exitWith(failover(process.argv.slice(2), swapDbGroups(inventory, "lab", "db-02")));
