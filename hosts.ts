// The inventory of www.foobar.com: every environment's hosts, groups and SSH settings.
import { defineInventory } from "./lib/inventory/define.ts";
import { ACME_DIRECTORY } from "./lab/environment/gateway.ts";
import { ADMIN_USER, BECOME_SECRET, LAB_SECRETS_FILE, SUDO_ASKS_ON } from "./lab/environment/admin-user.ts";
import { secret } from "./lib/secret.ts";
import { LAB_PREFIX } from "./lab/environment/instance.ts";
import { labDbEngine } from "./lab/environment/running-db.ts";
import { TEXTFILE_DIRECTORY } from "./roles/node_exporter/index.ts";

/** The machines of the design, their tier and last address octet. */
const machines = {
  "lb-01": { group: "lb", octet: 10 },
  "lb-02": { group: "lb", octet: 9 },
  "web-01": { group: "web", octet: 11 },
  "web-02": { group: "web", octet: 12 },
  "db-01": { group: "db_primary", octet: 21 },
  "db-02": { group: "db_replica", octet: 22 },
  "mon-01": { group: "monitoring", octet: 30 },
} as const;

const groups = {
  // Inventory order is VRRP priority order: lb-01 is the first choice for the (first) virtual IP.
  // The certificate push between the load balancers logs in as root with a key bound to the installer (roles/haproxy).
  lb: { hosts: ["lb-01", "lb-02"], vars: { ssh_hardening: { permit_root_login: "forced-commands-only" } } },
  web: { hosts: ["web-01", "web-02"] },
  db_primary: { hosts: ["db-01"] },
  db_replica: { hosts: ["db-02"] },
  monitoring: { hosts: ["mon-01"] },
};

/** The database server every database role of an environment names (db_engine, roles/mysql_common/vars.ts). */
const dbRoles = (engine: "mariadb" | "mysql") => ({
  mysql_primary: { db_engine: engine },
  mysql_replica: { db_engine: engine },
  mysqld_exporter: { db_engine: engine },
});

/** Each converge and drift check is published to the monitoring host's node_exporter (bin/foobar-infra drift). */
const runMetrics = { host: "mon-01", directory: TEXTFILE_DIRECTORY };

/** The floating address clients and DNS use (role keepalived): last octet on the same /24 as the hosts. */
const VIP_OCTET = 100;

/** Same hosts on a private /24, as the lab and the Vagrantfile build them. */
function onPrivateNetwork(prefix: string) {
  return Object.fromEntries(Object.entries(machines).map(([name, m]) => [name, { address: `${prefix}.${m.octet}` }]));
}

export default defineInventory({
  environments: {
    production: {
      description: "www.foobar.com production (edit the addresses to your servers)",
      ssh: { user: "deploy" },
      hosts: {
        "lb-01": { address: "203.0.113.10", privateAddress: "10.0.0.10" },
        "lb-02": { address: "203.0.113.9", privateAddress: "10.0.0.9" },
        "web-01": { address: "203.0.113.11", privateAddress: "10.0.0.11" },
        "web-02": { address: "203.0.113.12", privateAddress: "10.0.0.12" },
        "db-01": { address: "203.0.113.21", privateAddress: "10.0.0.21" },
        "db-02": { address: "203.0.113.22", privateAddress: "10.0.0.22" },
        "mon-01": { address: "203.0.113.30", privateAddress: "10.0.0.30" },
      },
      groups,
      runMetrics,
      // The address www.foobar.com's DNS points at, held by whichever load balancer is master (VRRP on the public side).
      vars: { keepalived: { vip: `203.0.113.${VIP_OCTET}` } },
    },
    lab: {
      description: "the local lab: systemd-nspawn hosts (npm run lab -- up)",
      // Like a fresh cloud image: its default user holds the key and has passwordless sudo (commands run through `sudo -n`).
      ssh: { user: ADMIN_USER, key: ".lab/ssh/id_ed25519", knownHosts: ".lab/ssh/known_hosts" },
      // One host's sudo asks for the user's password (lab/sudo-password.ts): the runner sends it from this secret.
      hosts: {
        ...onPrivateNetwork(LAB_PREFIX),
        [SUDO_ASKS_ON]: {
          ...onPrivateNetwork(LAB_PREFIX)[SUDO_ASKS_ON]!,
          ssh: { becomePassword: secret(BECOME_SECRET) },
        },
      },
      groups,
      runMetrics,
      // Certificates from the lab's Pebble, whose API certificate `lab up` exports to .lab/pebble-api.pem.
      vars: {
        keepalived: { vip: `${LAB_PREFIX}.${VIP_OCTET}` },
        // What the lab's database hosts run: `npm run lab -- up --db mysql|mariadb` (lab/db-choice.ts).
        ...dbRoles(labDbEngine([...groups.db_primary.hosts, ...groups.db_replica.hosts])),
        certbot: { acme_server: ACME_DIRECTORY, acme_ca_bundle: ".lab/pebble-api.pem" },
        // The lab's certificates chain to Pebble's root; short intervals keep alert tests quick.
        prometheus: {
          probe_ca_bundle: ".lab/pebble-root.pem",
          scrape_interval_seconds: 5,
          drift_alert_minutes: 0,
          check_stale_minutes: 2,
        },
      },
      secretsFile: LAB_SECRETS_FILE,
      generateSecrets: true,
    },
    vagrant: {
      description: "vagrant/Vagrantfile: Ubuntu 24.04 VMs on 192.168.56.0/24",
      ssh: { user: "vagrant", key: ".vagrant-ssh/id_ed25519", knownHosts: ".vagrant-ssh/known_hosts" },
      hosts: onPrivateNetwork("192.168.56"),
      groups,
      runMetrics,
      // Ubuntu 24.04's mysql-server is MySQL 8.0.
      vars: { keepalived: { vip: `192.168.56.${VIP_OCTET}` }, ...dbRoles("mysql") },
      secretsFile: ".vagrant-ssh/secrets.json",
      generateSecrets: true,
    },
  },
});
