// The whole of www.foobar.com: `npx tsx playbooks/site.ts [-i lab] [--check --diff]` converges every tier.
import inventory from "../hosts.ts";
import { isMain, run } from "../lib/cli/main.ts";
import { definePlaybook } from "../lib/playbook.ts";
import app from "../roles/app/index.ts";
import certbot from "../roles/certbot/index.ts";
import haproxy from "../roles/haproxy/index.ts";
import keepalived from "../roles/keepalived/index.ts";
import mysqlPrimary from "../roles/mysql_primary/index.ts";
import mysqlReplica from "../roles/mysql_replica/index.ts";
import mysqldExporter from "../roles/mysqld_exporter/index.ts";
import nginx from "../roles/nginx/index.ts";
import nginxExporter from "../roles/nginx_exporter/index.ts";
import nodeExporter from "../roles/node_exporter/index.ts";
import prometheus from "../roles/prometheus/index.ts";
import sshHardening from "../roles/ssh_hardening/index.ts";
import ufw from "../roles/ufw/index.ts";

export const site = definePlaybook("site", [
  // Hardening first, on every host: sshd and the firewall are in place before any service listens.
  { name: "hardening: sshd and firewall", hosts: "all", roles: [sshHardening, ufw] },
  { name: "host metrics", hosts: "all", roles: [nodeExporter] },
  // Databases before the apps that migrate their schema at start.
  { name: "database primary", hosts: "db_primary", roles: [mysqlPrimary, mysqldExporter] },
  { name: "database replica", hosts: "db_replica", roles: [mysqlReplica, mysqldExporter] },
  { name: "web tier: application server and nginx", hosts: "web", roles: [app, nginx, nginxExporter], serial: 1 },
  // keepalived after HAProxy: a load balancer bids for the VIP only once HAProxy answers its monitor URL.
  { name: "load balancers and their virtual IP", hosts: "lb", roles: [haproxy, keepalived] },
  // After HAProxy: it serves the http-01 challenge path (with a placeholder certificate until this play's deploy hook).
  { name: "certificates: ACME through HAProxy", hosts: "lb", roles: [certbot] },
  // Last: it scrapes what the plays above run, and probes the certificate just obtained.
  { name: "monitoring", hosts: "monitoring", roles: [prometheus] },
]);

if (isMain(import.meta.url)) void run(site, inventory);
