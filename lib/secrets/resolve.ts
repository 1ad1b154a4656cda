// Resolve secret("name") references in vars: environment variables first, then the secrets file.
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { InputError } from "../errors.ts";
import { Secret, SecretRef } from "./secret.ts";

export function secretEnvName(name: string): string {
  return `FOOBAR_SECRET_${name.toUpperCase()}`;
}

export interface SecretStore {
  /** The Secret for `name`, or undefined when it is nowhere to be found. */
  lookup(name: string): Secret | undefined;
}

/**
 * Secrets of one environment: `FOOBAR_SECRET_<NAME>` wins over the JSON file. With `generate`
 * (throw-away labs), a missing secret is created at random and saved to the file (mode 0600).
 */
export function openSecretStore(file: string, repoRoot: string, generate: boolean): SecretStore {
  const path = resolve(repoRoot, file);
  let values: Record<string, string> = {};
  if (existsSync(path)) {
    try {
      values = JSON.parse(readFileSync(path, "utf8")) as Record<string, string>;
    } catch (error) {
      throw new InputError([`secrets file ${file}: ${(error as Error).message}`]);
    }
  }
  const cache = new Map<string, Secret>();
  return {
    lookup(name) {
      const cached = cache.get(name);
      if (cached) return cached;
      let value = process.env[secretEnvName(name)] ?? values[name];
      if (value === undefined && generate) {
        value = randomBytes(18).toString("base64url");
        values[name] = value;
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
        chmodSync(path, 0o600);
      }
      if (value === undefined) return undefined;
      if (typeof value !== "string" || value.length < 8) throw new InputError([`secret "${name}" must be a string of at least 8 characters`]);
      const secret = new Secret(name, value);
      cache.set(name, secret);
      return secret;
    },
  };
}

/** Replace every SecretRef inside `vars` (deeply); missing secrets are reported with where to put them. */
export function resolveSecrets<T>(vars: T, store: SecretStore, file: string, missing: Set<string>): T {
  const walk = (value: unknown): unknown => {
    if (value instanceof SecretRef) {
      const secret = store.lookup(value.name);
      if (!secret) missing.add(`missing secret "${value.name}": set ${secretEnvName(value.name)} or add "${value.name}" to ${file}`);
      return secret ?? value;
    }
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, walk(item)]));
    }
    return value;
  };
  return walk(vars) as T;
}
