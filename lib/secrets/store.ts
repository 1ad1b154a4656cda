// The secrets a run can use: `FOOBAR_SECRET_<NAME>` first, then the environment's secrets file (decrypted in memory).
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { InputError } from "../errors.ts";
import { writeClearValues } from "./clear-file.ts";
import { Secret } from "../secret.ts";
import { secretsFileFor } from "./open-file.ts";
import type { SecretValues } from "./secrets-file.ts";

export function secretEnvName(name: string): string {
  return `FOOBAR_SECRET_${name.toUpperCase()}`;
}

/** A new random secret value: 18 bytes, base64url (24 characters). */
export function generateSecretValue(): string {
  return randomBytes(18).toString("base64url");
}

export interface SecretStore {
  /** The Secret for `name`, or undefined when it is nowhere to be found. */
  lookup(name: string): Secret | undefined;
  /** How an operator provides `name`, for the "missing secret" message. */
  howToSet(name: string): string;
  /** When the environment's encrypted file does not exist yet: how to create it, for a run that needs `names`. */
  absentFile?: (names: string[]) => string;
}

export interface StoreOptions {
  /** The secrets file as hosts.ts names it (relative to the repository). */
  file: string;
  repoRoot: string;
  environment: string;
  /** Throw-away labs: a missing secret is created at random and saved (clear files only). */
  generate: boolean;
}

/**
 * Open the environment's store. An encrypted file is decrypted here (before any connection); when that fails, the
 * error is raised only if a secret is then needed that no FOOBAR_SECRET_ variable provides.
 */
export async function openSecretStore(options: StoreOptions): Promise<SecretStore> {
  const file = secretsFileFor(options.file, options.repoRoot, options.environment);
  if (options.generate && file.encrypted)
    throw new InputError([
      `environment ${options.environment}: generated secrets need a clear (throw-away) secrets file, not ${options.file}`,
    ]);
  let values: SecretValues = {};
  let unreadable: InputError | undefined;
  try {
    values = await file.read();
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    unreadable = error;
  }
  const cache = new Map<string, Secret>();
  return {
    lookup(name) {
      const cached = cache.get(name);
      if (cached) return cached;
      let value = process.env[secretEnvName(name)];
      if (value === undefined && unreadable) throw unreadable;
      value ??= values[name];
      if (value === undefined && options.generate) {
        value = generateSecretValue();
        values[name] = value;
        writeClearValues(file.path, values);
      }
      if (value === undefined) return undefined;
      if (value.length < 8) throw new InputError([`secret "${name}" must be at least 8 characters long`]);
      const secret = new Secret(name, value);
      cache.set(name, secret);
      return secret;
    },
    absentFile: file.encrypted && !existsSync(file.path) ? (names) => absentFileHelp(options, names) : undefined,
    howToSet: (name) =>
      file.encrypted
        ? `set ${secretEnvName(name)} or run \`npx tsx playbooks/secrets.ts -i ${options.environment} set ${name}\``
        : `set ${secretEnvName(name)} or add "${name}" to ${options.file}`,
  };
}

/** The steps that create an environment's encrypted secrets file, in order, for a run that needs `names`. */
function absentFileHelp({ environment, file }: StoreOptions, names: string[]): string {
  const command = `npx tsx playbooks/secrets.ts -i ${environment}`;
  return [
    `environment ${environment} keeps its secrets in ${file}, which does not exist yet; this run needs ${names.length}: ${names.join(", ")}.`,
    "Create it, in this order:",
    "  1. npx tsx playbooks/secrets.ts identity   (your age key; prints your public key, age1…)",
    `  2. ${command} recipients add AGE1_PUBLIC_KEY "Your Name"`,
    `  3. ${command} set NAME --generate   for each secret (or pipe a value in; \`${command} edit\` sets them all)`,
    `  4. commit ${file} and its .recipients file`,
    "To converge the built-in lab instead, add -i lab.",
  ].join("\n");
}
