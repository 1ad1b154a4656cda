// An Ed25519 SSH key pair derived from a secret: the same key on every run and on every host that needs it.
import { createHash, createHmac, createPrivateKey, createPublicKey } from "node:crypto";
import { Secret } from "../secret.ts";

export interface SshKeyPair {
  /** OpenSSH private key file content (unencrypted), as a Secret so it is masked in every output. */
  privateKey: Secret;
  /** `ssh-ed25519 AAAA... comment`, for authorized_keys. */
  publicKey: string;
}

/** PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const PKCS8_ED25519_PREFIX = Buffer.from("302e020100300506032b657004220420", "hex");

const uint32 = (value: number) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};
const sshString = (value: Buffer | string) => {
  const bytes = typeof value === "string" ? Buffer.from(value) : value;
  return Buffer.concat([uint32(bytes.length), bytes]);
};

/** The "openssh-key-v1" container (PROTOCOL.key) holding one unencrypted Ed25519 key. */
function opensshPrivateKey(seed: Buffer, publicKey: Buffer, comment: string): string {
  const publicBlob = Buffer.concat([sshString("ssh-ed25519"), sshString(publicKey)]);
  const check = createHash("sha256").update(seed).digest().readUInt32BE(0);
  let section = Buffer.concat([
    uint32(check),
    uint32(check),
    publicBlob,
    sshString(Buffer.concat([seed, publicKey])),
    sshString(comment),
  ]);
  const padding = Buffer.from(Array.from({ length: (8 - (section.length % 8)) % 8 }, (_, index) => index + 1));
  section = Buffer.concat([section, padding]);
  const body = Buffer.concat([
    Buffer.from("openssh-key-v1\0"),
    sshString("none"),
    sshString("none"),
    sshString(""),
    uint32(1),
    sshString(publicBlob),
    sshString(section),
  ]);
  const lines = body.toString("base64").match(/.{1,70}/g) ?? [];
  return ["-----BEGIN OPENSSH PRIVATE KEY-----", ...lines, "-----END OPENSSH PRIVATE KEY-----", ""].join("\n");
}

/** Derived pairs by secret and seed: several hosts and roles of a run ask for the same key (a derivation costs ~1 ms). */
const derived = new Map<string, SshKeyPair>();

/** The key pair for `purpose`, derived from `secret` (HMAC-SHA256 → Ed25519 seed). */
export function sshKeyFromSecret(secret: Secret, purpose: string): SshKeyPair {
  const seed = createHmac("sha256", secret.reveal()).update(`foobar-infra ssh key: ${purpose}`).digest();
  const key = `${secret.name}\0${seed.toString("hex")}`;
  if (!derived.has(key)) derived.set(key, derivePair(secret, seed, purpose));
  return derived.get(key)!;
}

function derivePair(secret: Secret, seed: Buffer, purpose: string): SshKeyPair {
  const privateKey = createPrivateKey({
    key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]),
    format: "der",
    type: "pkcs8",
  });
  const publicKey = createPublicKey(privateKey).export({ format: "der", type: "spki" }).subarray(-32);
  const publicLine = `ssh-ed25519 ${Buffer.concat([sshString("ssh-ed25519"), sshString(publicKey)]).toString("base64")} ${purpose}`;
  return {
    privateKey: new Secret(`${secret.name} (ssh key)`, opensshPrivateKey(seed, publicKey, purpose)),
    publicKey: publicLine,
  };
}
