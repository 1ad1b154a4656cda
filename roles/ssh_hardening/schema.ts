// Vars of the ssh_hardening role: the JSON schema checked before any connection, and its TypeScript type.

export interface SshHardeningVars {
  /** "prohibit-password" (keys only) or "no". Password logins are off for every user either way. */
  permit_root_login: "prohibit-password" | "no";
  max_auth_tries: number;
  /** Seconds a client has to authenticate. */
  login_grace_time: number;
  /** Mozilla "modern" OpenSSH guidance by default. */
  ciphers: string[];
  kex_algorithms: string[];
  macs: string[];
}

const algorithms = { type: "array", minItems: 1, items: { type: "string", pattern: "^[A-Za-z0-9@._+-]+$" } } as const;

export const schema = {
  type: "object",
  additionalProperties: false,
  required: ["permit_root_login", "max_auth_tries", "login_grace_time", "ciphers", "kex_algorithms", "macs"],
  properties: {
    permit_root_login: { enum: ["prohibit-password", "no"] },
    max_auth_tries: { type: "integer", minimum: 1, maximum: 20 },
    login_grace_time: { type: "integer", minimum: 5, maximum: 600 },
    ciphers: algorithms,
    kex_algorithms: algorithms,
    macs: algorithms,
  },
} as const;
