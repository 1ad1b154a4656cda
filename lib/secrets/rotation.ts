// Rotating one secret: a new value stored with the old one kept as "retiring", the site's way of applying it, then
// the retiring value dropped. A rotation that stops half-way resumes with the same two values when run again.
import { InputError } from "../errors.ts";
import { Secret } from "../secret.ts";
import type { SecretsFile, SecretValues } from "./secrets-file.ts";
import { generateSecretValue, secretEnvName } from "./store.ts";

/** The old value's key in the file while its rotation runs (not a valid secret name, so it never clashes with one). */
const RETIRING = "@retiring";
export const retiringKey = (name: string) => `${name}${RETIRING}`;

/** The secrets' names in a file's values, without the retiring records of rotations under way. */
export const secretNames = (values: SecretValues) => Object.keys(values).filter((key) => !key.endsWith(RETIRING));

/** Applies a rotated secret to the hosts: 0 when every host uses the new value and none needs the old one. */
export type ApplyRotation = (values: { next: Secret; retiring: Secret }) => Promise<number>;

export async function rotateSecret(
  file: SecretsFile,
  name: string,
  apply: ApplyRotation,
  say: (line: string) => void,
): Promise<number> {
  if (process.env[secretEnvName(name)] !== undefined)
    throw new InputError([
      `${name} comes from ${secretEnvName(name)} in this run: rotate it where that variable is kept`,
    ]);
  const values = await file.read();
  if (values[retiringKey(name)] === undefined) {
    if (values[name] === undefined)
      throw new InputError([
        `${file.name} has no ${name}: nothing to rotate (\`secrets.ts set ${name}\` gives it a value)`,
      ]);
    values[retiringKey(name)] = values[name];
    values[name] = generateSecretValue();
    await file.write(values);
    say(`${name}: new value stored in ${file.name}; the old one is kept as retiring until every host has switched`);
  } else {
    say(`${name}: resuming the rotation begun earlier (same new value; the old one still accepted)`);
  }
  const code = await apply({
    next: new Secret(name, values[name]!),
    retiring: new Secret(`${name} (retiring)`, values[retiringKey(name)]!),
  });
  if (code !== 0) {
    say(`${name}: rotation stopped (exit ${code}); run \`secrets.ts rotate ${name}\` again to finish it`);
    return code;
  }
  delete values[retiringKey(name)];
  await file.write(values);
  say(`${name}: rotated; the old value is forgotten`);
  return 0;
}
