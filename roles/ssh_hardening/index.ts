// Role ssh_hardening: key-only sshd with modern algorithms, as a drop-in checked by `sshd -t` before a reload that keeps sessions.
import { defineRole } from "../../lib/role.ts";
import { schema, type SshHardeningVars } from "./schema.ts";

/** Debian's sshd_config includes sshd_config.d/*.conf first and the first value of a keyword wins: 00- sorts before other drop-ins. */
export const DROP_IN = "/etc/ssh/sshd_config.d/00-foobar-hardening.conf";

export default defineRole<SshHardeningVars>({
  name: "ssh_hardening",
  dir: import.meta.dirname,
  schema,
  defaults: {
    permit_root_login: "prohibit-password",
    max_auth_tries: 3,
    login_grace_time: 30,
    // Mozilla "modern" OpenSSH (6.7+) guidance, plus the RFC name of curve25519 that OpenSSH 8+ and ssh2 offer.
    kex_algorithms: ["curve25519-sha256", "curve25519-sha256@libssh.org", "ecdh-sha2-nistp521", "ecdh-sha2-nistp384", "ecdh-sha2-nistp256", "diffie-hellman-group-exchange-sha256"],
    ciphers: ["chacha20-poly1305@openssh.com", "aes256-gcm@openssh.com", "aes128-gcm@openssh.com", "aes256-ctr", "aes192-ctr", "aes128-ctr"],
    macs: ["hmac-sha2-512-etm@openssh.com", "hmac-sha2-256-etm@openssh.com", "umac-128-etm@openssh.com", "hmac-sha2-512", "hmac-sha2-256", "umac-128@openssh.com"],
  },
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
