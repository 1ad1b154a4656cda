// Role ssh_hardening: key-only sshd with modern algorithms and no root login, as a drop-in checked by `sshd -t`,
// reloaded (sessions stay) and kept only when a new login as the converge's own user still works.
import { defineRole } from "../../lib/dsl/role.ts";
import { schema } from "./schema.ts";
import { verifiedSshdDropIn } from "./verified-drop-in.ts";

/** Debian's sshd_config includes sshd_config.d/*.conf first and the first value of a keyword wins: 00- sorts before other drop-ins. */
export const DROP_IN = "/etc/ssh/sshd_config.d/00-foobar-hardening.conf";

export default defineRole({
  name: "ssh_hardening",
  dir: import.meta.dirname,
  schema,
  tasks: ({ r, checkNewConnection }) => [
    r.package("openssh-server"),
    // No %s: `sshd -t` checks the whole configuration with the candidate in place; the old drop-in comes back when it fails.
    verifiedSshdDropIn(
      r.template(DROP_IN, "hardening.conf.ejs", { mode: "0644", validate: "sshd -t" }),
      DROP_IN,
      checkNewConnection,
    ),
    r.service("ssh", { state: "started", enabled: true }),
  ],
});
