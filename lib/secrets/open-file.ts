// Which kind of secrets file an environment names: `.age` is encrypted, anything else clear JSON.
import { resolve } from "node:path";
import { encryptedSecretsFile } from "./age-file.ts";
import { clearSecretsFile } from "./clear-file.ts";
import type { SecretsFile } from "./secrets-file.ts";

/** `secrets/production.age` is encrypted; any other name (`.lab/secrets.json`) is clear JSON, mode 0600. */
export function secretsFileFor(name: string, repoRoot: string, environment: string): SecretsFile {
  const path = resolve(repoRoot, name);
  return name.endsWith(".age") ? encryptedSecretsFile(name, path, environment) : clearSecretsFile(name, path);
}
