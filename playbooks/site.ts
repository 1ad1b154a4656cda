// The whole of www.foobar.com: `npx tsx playbooks/site.ts [-i lab] [--check --diff]` converges every tier.
import inventory from "../hosts.ts";
import { isMain, run } from "../lib/cli/main.ts";
import { definePlaybook } from "../lib/playbook.ts";
import app from "../roles/app/index.ts";
import haproxy from "../roles/haproxy/index.ts";
import nginx from "../roles/nginx/index.ts";

export const site = definePlaybook("site", [
  { name: "web tier: application server and nginx", hosts: "web", roles: [app, nginx], serial: 1 },
  { name: "load balancer", hosts: "lb", roles: [haproxy] },
]);

if (isMain(import.meta.url)) void run(site, inventory);
