// How a role tells whether an account already has the declared password, without ever printing it.
// MariaDB (mysql_native_password): the stored hash is '*' + SHA1(SHA1(password)), computed here and compared on the host.
// MySQL 8 (caching_sha2_password, salted): a root-only fingerprint file written with the password is compared instead;
// a password changed behind the roles' back on MySQL is therefore not detected (documented in the roles' README).
import { createHash } from "node:crypto";
import { registerSecret } from "../../lib/mask.ts";

/** MySQL's PASSWORD() / mysql_native_password hash. */
export function nativePasswordHash(password: string): string {
  const once = createHash("sha1").update(password, "utf8").digest();
  const hash = `*${createHash("sha1").update(once).digest("hex").toUpperCase()}`;
  registerSecret(hash);
  return hash;
}

/** Fingerprint of an account's password for the MySQL flavour's marker file. */
export function passwordFingerprint(user: string, host: string, password: string): string {
  const fingerprint = createHash("sha256").update(`foobar-db-credential\0${user}@${host}\0${password}`).digest("hex");
  registerSecret(fingerprint);
  return fingerprint;
}

export const FINGERPRINT_DIR = "/etc/mysql/foobar-credentials";
