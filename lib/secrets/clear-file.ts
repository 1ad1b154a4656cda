// A secrets file in clear JSON, mode 0600: only for throw-away environments (the lab, vagrant), git-ignored.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { InputError } from "../errors.ts";
import { parseValues, serialiseValues, type SecretsFile, type SecretValues } from "./secrets-file.ts";

/** Write the values synchronously (the lab's store generates missing secrets while vars resolve). */
export function writeClearValues(path: string, values: SecretValues): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, serialiseValues(values), { mode: 0o600 });
  chmodSync(path, 0o600);
}

export function readClearValues(name: string, path: string): SecretValues {
  if (!existsSync(path)) return {};
  try {
    return parseValues(readFileSync(path, "utf8"), name);
  } catch (error) {
    throw new InputError([(error as Error).message]);
  }
}

export function clearSecretsFile(name: string, path: string): SecretsFile {
  return {
    name,
    path,
    encrypted: false,
    read: async () => readClearValues(name, path),
    write: async (values) => writeClearValues(path, values),
  };
}
