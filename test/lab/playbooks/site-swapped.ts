// Test playbook: site.ts with the inventory an operator has after a failover to db-02 (db_primary/db_replica swapped).
import inventory from "../../../hosts.ts";
import { isMain, run } from "../../../lib/cli/main.ts";
import { site } from "../../../playbooks/site.ts";
import { swapDbGroups } from "../../../roles/mysql_common/topology-swap.ts";

if (isMain(import.meta.url)) void run(site, swapDbGroups(inventory, "lab", "db-02"));
