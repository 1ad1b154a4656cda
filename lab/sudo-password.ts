// The one lab host whose sudo asks for a password, as some sites run it: the admin user's password is a lab secret
// (generated into .lab/secrets.json like the others) that hosts.ts hands the runner as that host's become_password.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { readClearValues, writeClearValues } from "../lib/secrets/clear-file.ts";
import { generateSecretValue } from "../lib/secrets/store.ts";
import { ADMIN_SUDOERS, ADMIN_USER, BECOME_SECRET, LAB_SECRETS_FILE } from "./environment/admin-user.ts";
import { REPO_ROOT } from "./paths.ts";
import { capture } from "./run-command.ts";

/** The admin user's password on the host whose sudo asks: read from the lab's secrets, created there the first time. */
export function labBecomePassword(): string {
  const path = join(REPO_ROOT, LAB_SECRETS_FILE);
  const values = readClearValues(LAB_SECRETS_FILE, path);
  if (!values[BECOME_SECRET]) {
    values[BECOME_SECRET] = generateSecretValue();
    writeClearValues(path, values);
  }
  return values[BECOME_SECRET]!;
}

/** In the host's root: the admin user gets the password (SHA-512 crypt, via stdin) and a sudo rule that asks for it. */
export async function makeSudoAsk(root: string): Promise<void> {
  const hashed = await capture("openssl", ["passwd", "-6", "-stdin"], { input: labBecomePassword() });
  if (hashed.code !== 0) throw new Error(`lab: openssl passwd failed: ${hashed.stderr}`);
  const shadow = join(root, "etc/shadow");
  // A function, not a replacement string: the hash's `$1…` would otherwise be read as a reference to group 1.
  const lines = readFileSync(shadow, "utf8")
    .split("\n")
    .map((line) =>
      line.startsWith(`${ADMIN_USER}:`)
        ? line.replace(/^([^:]*):[^:]*:/, (_all, user: string) => `${user}:${hashed.stdout.trim()}:`)
        : line,
    );
  writeFileSync(shadow, lines.join("\n"));
  writeFileSync(
    join(root, ADMIN_SUDOERS.path),
    `# The lab's host whose sudo asks for the user's password\n${ADMIN_USER} ALL=(ALL) ALL\n`,
  );
}
