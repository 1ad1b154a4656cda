// Whose key opens an environment's encrypted secrets: an age identity from the environment, a key file, or the default file.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join } from "node:path";

/** The identity itself (`AGE-SECRET-KEY-1…`), for CI systems that hold it as a masked variable. */
export const IDENTITY_ENV = "FOOBAR_AGE_IDENTITY";
/** A file holding one or more identities, as `age-keygen` writes it. */
export const IDENTITY_FILE_ENV = "FOOBAR_AGE_IDENTITY_FILE";

/** Where `secrets.ts identity` keeps the operator's own key: $XDG_CONFIG_HOME/foobar-infra/age-identity.txt. */
export function defaultIdentityFile(): string {
  return join(process.env.XDG_CONFIG_HOME || join(homedir(), ".config"), "foobar-infra", "age-identity.txt");
}

export interface Identities {
  keys: string[];
  /** Where they came from, for messages. */
  source: string;
}

const identityLines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("AGE-SECRET-KEY-"));

/** The operator's identities: $FOOBAR_AGE_IDENTITY, else $FOOBAR_AGE_IDENTITY_FILE, else the default file; undefined if none. */
export function findIdentities(): Identities | undefined {
  const inline = process.env[IDENTITY_ENV];
  if (inline) return { keys: identityLines(inline), source: `$${IDENTITY_ENV}` };
  const file = process.env[IDENTITY_FILE_ENV] || defaultIdentityFile();
  if (!existsSync(file)) return undefined;
  return { keys: identityLines(readFileSync(file, "utf8")), source: file };
}

/** Write a new identity file (0600, in a 0700 directory) in age-keygen's format; refuses to replace one. */
export function writeIdentityFile(file: string, identity: string, recipient: string): void {
  if (existsSync(file)) throw new Error(`${file} exists already: it is someone's key, not replaced`);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  writeFileSync(file, `# created: ${new Date().toISOString()}\n# public key: ${recipient}\n${identity}\n`, {
    mode: 0o600,
    flag: "wx",
  });
  chmodSync(file, 0o600);
}
