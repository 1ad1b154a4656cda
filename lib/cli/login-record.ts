// The record of a command's logins that bin/foobar-infra starts ahead the next time the same command runs: the hosts a
// run connected to and how (address, user, key file, options; no secret). The launcher names the file, by command line.
import { mkdirSync, readFileSync } from "node:fs";
import { replaceFile } from "../replace-file.ts";
import { dirname } from "node:path";
import type { LoginTarget } from "../connection/logins-ahead.ts";

/** Where bin/foobar-infra wants this process's logins recorded; unset when the playbook runs without it (under tsx). */
const RECORD_FILE = Symbol.for("foobar-infra.login-record");

const noted = new Map<string, LoginTarget>();

/** A login this process's run made: only the fields a login uses, never the host's vars or its become password. */
export function noteLogin({ host, options }: LoginTarget): void {
  const { name, address, privateAddress, ssh } = host;
  noted.set(name, {
    host: {
      name,
      address,
      privateAddress,
      ssh: { port: ssh.port, user: ssh.user, key: ssh.key, connectTimeoutMs: ssh.connectTimeoutMs },
      become: false,
      groups: [],
      vars: {},
    },
    options,
  });
}

/** The logins noted, written for the launcher's next start of this command when it asked for them and they changed. */
export function saveLoginRecord(): void {
  const file = (globalThis as Record<symbol, string | undefined>)[RECORD_FILE];
  if (!file || noted.size === 0) return;
  const record = `${JSON.stringify({ targets: [...noted.values()] })}\n`;
  try {
    if (readFileSync(file, "utf8") === record) return;
  } catch {
    // none yet
  }
  try {
    mkdirSync(dirname(file), { recursive: true });
    replaceFile(file, record);
  } catch {
    // A checkout that cannot be written: the next start logs in when the run asks, as without a record.
  }
}
