// Vars of the ssh_hardening role, declared once: checked before any connection, typed, documented in README.md.
import { Matching, OneOf, RoleVars, Type } from "../../lib/dsl/role-vars.ts";

const algorithms = (fallback: string[], description: string) =>
  Type.Array(
    Matching("^[A-Za-z0-9][A-Za-z0-9@._+-]{0,127}$", "an OpenSSH algorithm name (letters, digits and @._+-)", {
      description: "An algorithm.",
    }),
    {
      minItems: 1,
      default: fallback,
      description,
    },
  );

export const schema = RoleVars({
  permit_root_login: OneOf(["no", "forced-commands-only", "prohibit-password"], {
    default: "no",
    description:
      '"no" (log in as a user with sudo); "forced-commands-only" (root only through keys bound to one command, like the load balancers\' certificate push); "prohibit-password" (root with any key). Password logins are off for every user either way.',
  }),
  allow_users: Type.Optional(
    Type.Array(
      Matching("^[a-z_][a-z0-9_-]{0,31}[$]?(@[A-Za-z0-9.:/*?-]{1,253})?$", "a user name, optionally @host pattern", {
        description: "A user (USER or USER@HOST).",
      }),
      {
        minItems: 1,
        description:
          "sshd AllowUsers: only these users may log in (unset: any user with a key). A list without the converge's own user is rolled back by the new-login check.",
      },
    ),
  ),
  max_auth_tries: Type.Integer({
    minimum: 1,
    maximum: 20,
    default: 3,
    description: "Authentication attempts per connection (sshd MaxAuthTries).",
  }),
  login_grace_time: Type.Integer({
    minimum: 5,
    maximum: 600,
    default: 30,
    description: "Seconds a client has to authenticate.",
  }),
  // Mozilla "modern" OpenSSH (6.7+) guidance, plus the RFC name of curve25519 that OpenSSH 8+ and ssh2 offer.
  ciphers: algorithms(
    [
      "chacha20-poly1305@openssh.com",
      "aes256-gcm@openssh.com",
      "aes128-gcm@openssh.com",
      "aes256-ctr",
      "aes192-ctr",
      "aes128-ctr",
    ],
    'Ciphers sshd offers (Mozilla "modern" OpenSSH guidance by default).',
  ),
  kex_algorithms: algorithms(
    [
      "curve25519-sha256",
      "curve25519-sha256@libssh.org",
      "ecdh-sha2-nistp521",
      "ecdh-sha2-nistp384",
      "ecdh-sha2-nistp256",
      "diffie-hellman-group-exchange-sha256",
    ],
    'Key exchange algorithms sshd offers (Mozilla "modern", plus the RFC name of curve25519 that OpenSSH 8+ and ssh2 offer).',
  ),
  macs: algorithms(
    [
      "hmac-sha2-512-etm@openssh.com",
      "hmac-sha2-256-etm@openssh.com",
      "umac-128-etm@openssh.com",
      "hmac-sha2-512",
      "hmac-sha2-256",
      "umac-128@openssh.com",
    ],
    'MACs sshd offers (Mozilla "modern" OpenSSH guidance by default).',
  ),
});
