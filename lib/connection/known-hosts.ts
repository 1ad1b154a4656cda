// OpenSSH known_hosts files: look up the keys pinned for a host, fingerprint keys, pin new ones.
import { createHash, createHmac } from "node:crypto";
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import type { Host } from "../inventory/types.ts";

/** One key line of a known_hosts file that matched the host looked up. */
export interface KnownHostKey {
  /** Key type as written on the line, e.g. "ssh-ed25519". */
  type: string;
  /** The public key in SSH wire format (the base64 field decoded). */
  blob: Buffer;
  file: string;
  /** 1-based line number in `file`. */
  line: number;
}

export interface HostKeyLookup {
  /** Keys the host may present. */
  keys: KnownHostKey[];
  /** Keys marked @revoked for the host: never accepted. */
  revoked: KnownHostKey[];
}

/** The project's pin file (--accept-new-host-keys writes there), relative to the repository. */
export const PIN_FILE = "known_hosts";

/** The known_hosts files checked for `host`: its own (hosts.ts) or ~/.ssh/known_hosts, then the project's pin file. */
export function knownHostsFilesFor(host: Host, repoRoot: string): string[] {
  return [
    host.ssh.knownHosts ? resolve(repoRoot, host.ssh.knownHosts) : join(homedir(), ".ssh", "known_hosts"),
    join(repoRoot, PIN_FILE),
  ];
}

/** The name known_hosts uses for a host: the address on port 22, `[address]:port` otherwise. */
export function knownHostName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** `|1|salt|hmac`: HMAC-SHA1 of the host name keyed by the salt, both base64. */
function matchesHashedPattern(pattern: string, name: string): boolean {
  const [, magic, salt, hmac] = pattern.split("|");
  if (magic !== "1" || salt === undefined || hmac === undefined) return false;
  return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hmac;
}

/** OpenSSH wildcards: `*` any run of characters, `?` one character. */
function matchesWildcard(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${source}$`).test(name);
}

/** Whether a comma-separated pattern list (or a hashed entry) names the host: some pattern matches, none negated does. */
function matchesHostPatterns(patterns: string, name: string): boolean {
  if (patterns.startsWith("|")) return matchesHashedPattern(patterns, name);
  let matched = false;
  for (const pattern of patterns.toLowerCase().split(",")) {
    if (pattern.startsWith("!")) {
      if (matchesWildcard(pattern.slice(1), name)) return false;
    } else if (matchesWildcard(pattern, name)) matched = true;
  }
  return matched;
}

function readLines(file: string): string[] {
  try {
    return readFileSync(file, "utf8").split("\n");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
}

/** Every key pinned for `address` on `port` in `files` (missing files count as empty). */
export function lookupHostKeys(files: string[], address: string, port: number): HostKeyLookup {
  const name = knownHostName(address.toLowerCase(), port);
  const result: HostKeyLookup = { keys: [], revoked: [] };
  for (const file of files) {
    readLines(file).forEach((text, index) => {
      const fields = text.trim().split(/\s+/);
      if (fields[0] === "" || fields[0]!.startsWith("#")) return;
      const marker = fields[0]!.startsWith("@") ? fields.shift() : undefined;
      if (marker !== undefined && marker !== "@revoked") return; // @cert-authority: certificates are not used here.
      const [patterns, type, base64] = fields;
      if (patterns === undefined || type === undefined || base64 === undefined) return;
      if (!matchesHostPatterns(patterns, name)) return;
      const key = { type, blob: Buffer.from(base64, "base64"), file, line: index + 1 };
      (marker === "@revoked" ? result.revoked : result.keys).push(key);
    });
  }
  return result;
}

/** SHA256 fingerprint as `ssh-keygen -l` prints it: "SHA256:" + unpadded base64. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The key type named inside an SSH wire-format public key (its first string), or "" if malformed. */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return "";
  const length = blob.readUInt32BE(0);
  if (4 + length > blob.length) return "";
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** Pin a host key: append one plain line to `file`, creating it (0600) and its directory (0700) if missing. */
export function appendKnownHost(file: string, address: string, port: number, type: string, blob: Buffer): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const separator = existing === "" || existing.endsWith("\n") ? "" : "\n";
  appendFileSync(file, `${separator}${knownHostName(address, port)} ${type} ${blob.toString("base64")}\n`, {
    mode: 0o600,
  });
}
