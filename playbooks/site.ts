// The whole of www.foobar.com: `npx tsx playbooks/site.ts [-i lab] [--check --diff]` converges every tier.
import inventory from "../hosts.ts";
import { isMain, run } from "../lib/cli/main.ts";
import { definePlaybook } from "../lib/playbook.ts";
import app from "../roles/app/index.ts";
import haproxy from "../roles/haproxy/index.ts";
import mysqlPrimary from "../roles/mysql_primary/index.ts";
import mysqlReplica from "../roles/mysql_replica/index.ts";
import nginx from "../roles/nginx/index.ts";

export const site = definePlaybook("site", [
  { name: "database primary", hosts: "db_primary", roles: [mysqlPrimary] },
  { name: "database replica", hosts: "db_replica", roles: [mysqlReplica] },
  { name: "web tier: application server and nginx", hosts: "web", roles: [app, nginx], serial: 1 },
  { name: "load balancer", hosts: "lb", roles: [haproxy] },
]);

if (isMain(import.meta.url)) void run(site, inventory);
