// The recipients list kept beside an encrypted secrets file: one age public key per line, each with its owner's name.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export interface Recipient {
  key: string;
  /** Who holds the matching identity (the comment after the key). */
  owner: string;
}

/** `secrets/production.age` → `secrets/production.recipients`. */
export function recipientsPathOf(secretsPath: string): string {
  return secretsPath.replace(/\.age$/, "") + ".recipients";
}

/** Parse `age1… owner name` lines; `#` lines and blank lines are comments. */
export function readRecipients(path: string): Recipient[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [key = "", ...owner] = line.split(/\s+/);
      return { key, owner: owner.join(" ").replace(/^#\s*/, "") };
    });
}

export function writeRecipients(path: string, recipients: Recipient[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const header =
    "# age public keys that can read the secrets file beside this one: `npx tsx playbooks/secrets.ts recipients add|remove`\n";
  writeFileSync(
    path,
    header +
      recipients.map((recipient) => `${recipient.key}${recipient.owner ? ` ${recipient.owner}` : ""}\n`).join(""),
  );
}
