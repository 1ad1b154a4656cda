// Role keepalived: the load balancers' virtual IPs over VRRP — one instance per VIP, moved away from a host whose HAProxy stops serving.
import { defineRole } from "../../lib/dsl/role.ts";
import { sh } from "../../lib/shell.ts";
import { Secret } from "../../lib/secret.ts";
import { schema } from "./schema.ts";
import { vrrpInstances, vrrpNetwork } from "./vrrp.ts";

export const CONFIG = "/etc/keepalived/keepalived.conf";
/** The track script: HAProxy answers its monitor URL (and, for a VIP homed elsewhere, keepalived is past its start). */
export const CHECK_SCRIPT = "/usr/local/sbin/foobar-lb-check";
/** Election after a start: check rise + 3 adverts + skew, and the takeover delay when the home host is down. */
const VIP_WAIT_SECONDS = 30;

export default defineRole({
  name: "keepalived",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, vars, host, facts, inventory }) => {
    // VRRP PASS authentication carries 8 characters: that prefix is its own secret, masked in every output too.
    const authPass8 = new Secret(`${vars.auth_pass.name} (first 8)`, vars.auth_pass.reveal().slice(0, 8));
    const data = {
      instances: vrrpInstances(vars, host, inventory),
      network: vrrpNetwork(vars, host, facts, inventory),
      auth_pass8: authPass8,
      check_script: CHECK_SCRIPT,
    };
    return [
      r.package(["keepalived", "curl"]),
      r.file(CHECK_SCRIPT, r.render("lb-check.sh.ejs"), { mode: "0755" }),
      r.template(CONFIG, "keepalived.conf.ejs", {
        data,
        mode: "0600",
        validate: "keepalived --config-test -f %s",
        notify: "reload keepalived",
      }),
      r.service("keepalived", { state: "started", enabled: true, notify: "wait until the VIPs answer" }),
    ];
  },
  handlers: {
    // SIGHUP: instances keep their state; a VIP moves only if the new priorities say so.
    "reload keepalived": ({ r }) => r.serviceAction("keepalived", "reloaded"),
    // After a start the first VIP holder is elected within a few seconds: the plays after this one (ACME) need it.
    "wait until the VIPs answer": ({ r, vars, host, inventory }) => {
      const answer = vrrpInstances(vars, host, inventory)
        .map((instance) => {
          const url = new URL(vars.check_url);
          url.hostname = instance.vip;
          return sh`curl -fsS -o /dev/null -m 1 ${url.href}`;
        })
        .join(" && ");
      return r.command(
        "wait until the VIPs answer",
        `deadline=$(( $(date +%s) + ${VIP_WAIT_SECONDS} ))\nuntil ${answer}; do\n  if [ "$(date +%s)" -ge "$deadline" ]; then echo "no load balancer holds the VIPs after ${VIP_WAIT_SECONDS} s: see journalctl -u keepalived" >&2; exit 1; fi\n  sleep 0.5\ndone`,
        { unless: answer, description: "VIPs answer HAProxy's monitor URL" },
      );
    },
  },
});
