// Role ssh_hardening: key-only sshd with modern algorithms, as a drop-in checked by `sshd -t` before a reload that keeps sessions.
import { defineRole } from "../../lib/role.ts";
import { schema } from "./schema.ts";

/** Debian's sshd_config includes sshd_config.d/*.conf first and the first value of a keyword wins: 00- sorts before other drop-ins. */
export const DROP_IN = "/etc/ssh/sshd_config.d/00-foobar-hardening.conf";

export default defineRole({
  name: "ssh_hardening",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r }) => [
    r.package("openssh-server"),
    // No %s: `sshd -t` checks the whole configuration with the candidate in place; the old drop-in comes back when it fails.
    r.template(DROP_IN, "hardening.conf.ejs", { mode: "0644", validate: "sshd -t", notify: "reload ssh" }),
    r.service("ssh", { state: "started", enabled: true }),
  ],
  handlers: {
    // A reload (SIGHUP) re-executes the listener only: established sessions, the runner's included, stay up.
    "reload ssh": ({ r }) => r.serviceAction("ssh", "reloaded"),
  },
});
