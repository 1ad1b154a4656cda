// The whole of www.foobar.com: `npx tsx playbooks/site.ts [-i lab] [--check --diff]` converges every tier.
import inventory from "../hosts.ts";
import { isMain, run } from "../lib/cli/main.ts";
import { definePlaybook } from "../lib/dsl/playbook.ts";
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
  // Each host goes on as soon as the plays it `needs` are done everywhere (its own plays above always come first);
  // a play that names no needs waits for every play above it. `bin/foobar-infra graph --plays -i lab` draws the order.
  { name: "host metrics", hosts: "all", roles: [nodeExporter], needs: [] },
  { name: "database primary", hosts: "db_primary", roles: [mysqlPrimary, mysqldExporter], needs: [] },
  // The replica copies the primary through its replication account.
  { name: "database replica", hosts: "db_replica", roles: [mysqlReplica, mysqldExporter], needs: ["database primary"] },
  // The apps migrate their schema on the primary when they start; reads wait for the replica at runtime, not here.
  {
    name: "web tier: application server and nginx",
    hosts: "web",
    roles: [app, nginx, nginxExporter],
    serial: 1,
    needs: ["database primary"],
  },
  // HAProxy's health checks keep a web host out until it answers /health: the load balancers need not wait for it.
  { name: "load balancers: HAProxy", hosts: "lb", roles: [haproxy], needs: [] },
  // keepalived once HAProxy serves on every load balancer: they start it within seconds of each other, so each VIP
  // goes to its home first (a peer waits takeover_delay_seconds) and stays there (nopreempt).
  { name: "load balancers: virtual IP", hosts: "lb", roles: [keepalived], needs: ["load balancers: HAProxy"] },
  // The ACME http-01 challenge reaches the leader's certbot through whichever load balancer holds the VIP.
  {
    name: "certificates: ACME through HAProxy",
    hosts: "lb",
    roles: [certbot],
    needs: ["load balancers: virtual IP"],
  },
  // Prometheus needs its targets only to be useful, not to start: it scrapes them as they come up.
  { name: "monitoring", hosts: "monitoring", roles: [prometheus], needs: [] },
]);

if (isMain(import.meta.url)) void run(site, inventory);
