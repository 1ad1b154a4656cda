// How a script becomes root on a host: `sh -s` for root, `sudo -n sh -s` for a user with passwordless sudo, and for a
// user whose sudo asks, sudo -A with a throw-away askpass helper fed from the script's first stdin line — the password
// never appears on a command line (ps), in the environment of a root process, or in the script shown by -vv.
import type { Host } from "../inventory/types.ts";
import { Secret } from "../secret.ts";

/** The remote command, the stdin that goes before the script, and how to read a failed exec's stderr. */
export interface BecomeExec {
  command: string;
  stdinPrefix: string;
  /** sudo's refusal for want of a password in words an operator can act on; undefined for any other failure. */
  refusal: (stderr: string) => string | undefined;
}

/** Reads the password line, writes a 0700 askpass helper that prints it from the environment, runs sudo -A, removes the helper. */
const ASKPASS_WRAPPER =
  `sh -c 'IFS= read -r FOOBAR_BECOME || exit 97; export FOOBAR_BECOME; helper=$(mktemp) || exit 97; trap "rm -f \\"$helper\\"" EXIT; ` +
  `printf "#!/bin/sh\\nprintf \\"%%s\\\\\\\\n\\" \\"\\$FOOBAR_BECOME\\"\\n" > "$helper"; chmod 0700 "$helper"; SUDO_ASKPASS="$helper" sudo -A -p "" sh -s'`;

export function becomeExec(host: Pick<Host, "name" | "become" | "ssh">): BecomeExec {
  const refusal = (stderr: string) => sudoRefusal(host, stderr);
  if (!host.become) return { command: "sh -s", stdinPrefix: "", refusal };
  const password = host.ssh.becomePassword;
  if (password === undefined) return { command: "sudo -n sh -s", stdinPrefix: "", refusal };
  if (!(password instanceof Secret))
    throw new Error(`${host.name}: become_password secret("${password.name}") was not resolved before connecting`);
  if (password.reveal().includes("\n")) throw new Error(`${host.name}: become_password must be one line`);
  return { command: ASKPASS_WRAPPER, stdinPrefix: `${password.reveal()}\n`, refusal };
}

/** sudo's refusal for want of a password, in the words an operator can act on. */
export function sudoRefusal(host: Pick<Host, "name" | "ssh">, stderr: string): string | undefined {
  if (!/a password is required|a terminal is required|no askpass program|incorrect password attempt/i.test(stderr))
    return undefined;
  return host.ssh.becomePassword
    ? `sudo on ${host.name} refused the become_password (user ${host.ssh.user}): check the secret's value`
    : `sudo on ${host.name} asks for a password (user ${host.ssh.user}): set ssh.becomePassword: secret("...") for it in hosts.ts (become_password, host or group), or give ${host.ssh.user} passwordless sudo`;
}
