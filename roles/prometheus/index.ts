// Role prometheus (monitoring group): Prometheus with scrape targets and alert rules from the inventory, Alertmanager,
// and the blackbox exporter watching the site's certificate. Configs are checked with promtool / amtool before use.
import { posix } from "node:path";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { defineRole } from "../../lib/dsl/role.ts";
import { BACKEND } from "../haproxy/index.ts";
import { schema } from "./schema.ts";
import { scrapeJobs } from "./targets.ts";

const CONFIG_DIR = "/etc/prometheus";
const RULES_FILE = posix.join(CONFIG_DIR, "rules", "foobar.rules.yml");
const PROBE_CA = posix.join(CONFIG_DIR, "probe-ca.pem");
const REPO_ROOT = resolve(import.meta.dirname, "..", "..");
/** Ports of the agents the other roles run (their defaults). */
const PORTS = { node: 9100, nginx: 9113, mysqld: 9104, haproxy: 8404 };

const defaultsFile = (args: string) =>
  `# Managed by foobar-infra (role prometheus): loopback only; reach it through SSH.\nARGS="${args}"\n`;

export default defineRole({
  name: "prometheus",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, inventory }) => {
    const caFile = vars.probe_ca_bundle ? PROBE_CA : null;
    const data = { jobs: scrapeJobs(inventory, PORTS), rules_file: RULES_FILE, backend: BACKEND, ca_file: caFile };
    return [
      r.package(["prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"]),
      r.directory(posix.join(CONFIG_DIR, "rules"), { mode: "0755" }),
      r.template(RULES_FILE, "rules.yml.ejs", {
        data,
        mode: "0644",
        validate: "promtool check rules %s",
        notify: "reload prometheus",
      }),
      r.template(posix.join(CONFIG_DIR, "prometheus.yml"), "prometheus.yml.ejs", {
        data,
        mode: "0644",
        validate: "promtool check config --syntax-only %s",
        notify: "reload prometheus",
      }),
      r.template(posix.join(CONFIG_DIR, "alertmanager.yml"), "alertmanager.yml.ejs", {
        data,
        mode: "0644",
        validate: "amtool check-config %s",
        notify: "reload alertmanager",
      }),
      ...(vars.probe_ca_bundle
        ? [
            r.file(PROBE_CA, readFileSync(resolve(REPO_ROOT, vars.probe_ca_bundle)), {
              mode: "0644",
              notify: "reload blackbox",
            }),
          ]
        : []),
      r.template(posix.join(CONFIG_DIR, "blackbox.yml"), "blackbox.yml.ejs", {
        data,
        mode: "0644",
        validate: "prometheus-blackbox-exporter --config.check --config.file=%s",
        notify: "reload blackbox",
      }),
      r.file(
        "/etc/default/prometheus",
        defaultsFile(`--web.listen-address=127.0.0.1:9090 --storage.tsdb.retention.time=${vars.retention_days}d`),
        { mode: "0644", notify: "restart prometheus" },
      ),
      r.file(
        "/etc/default/prometheus-alertmanager",
        defaultsFile("--web.listen-address=127.0.0.1:9093 --cluster.listen-address="),
        { mode: "0644", notify: "restart alertmanager" },
      ),
      r.file(
        "/etc/default/prometheus-blackbox-exporter",
        defaultsFile(`--web.listen-address=127.0.0.1:9115 --config.file=${CONFIG_DIR}/blackbox.yml`),
        { mode: "0644", notify: "restart blackbox" },
      ),
      r.service("prometheus", { state: "started", enabled: true }),
      r.service("prometheus-alertmanager", { state: "started", enabled: true }),
      r.service("prometheus-blackbox-exporter", { state: "started", enabled: true }),
    ];
  },
  // Reloads come first: a SIGHUP sent right after a restart reaches a process that has no handler for it yet and ends it.
  handlers: {
    "reload prometheus": ({ r }) => r.serviceAction("prometheus", "reloaded"),
    "reload alertmanager": ({ r }) => r.serviceAction("prometheus-alertmanager", "reloaded"),
    "reload blackbox": ({ r }) => r.serviceAction("prometheus-blackbox-exporter", "reloaded"),
    "restart prometheus": ({ r }) => r.serviceAction("prometheus", "restarted"),
    "restart alertmanager": ({ r }) => r.serviceAction("prometheus-alertmanager", "restarted"),
    "restart blackbox": ({ r }) => r.serviceAction("prometheus-blackbox-exporter", "restarted"),
  },
});
