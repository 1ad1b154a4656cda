// The sshd drop-in as one step that cannot lock the converge out: keep the old file, write and `sshd -t` the new one,
// reload, prove that a new login as the converge's own user still works, and put the old file back when it does not.
import { dirname } from "node:path";
import type { Resource, Verify } from "../../lib/resources/resource.ts";
import { sh } from "../../lib/shell.ts";

/** Where the drop-in in force before the change is kept until the new login proved the change safe. */
export const ROLLBACK_COPY = "/var/lib/foobar-infra/sshd-rollback.conf";

/** How long a new login may find sshd's port closed while it re-executes after the reload. */
const RESTART_GRACE_MS = 10_000;

/** `file` (the drop-in's template resource, validated with `sshd -t`) reloaded in its own apply and verified by a new login. */
export function verifiedSshdDropIn<State>(file: Resource<State>, path: string, newLogin: Verify): Resource<State> {
  return {
    ...file,
    apply: (state) =>
      [
        sh`install -d -m 0700 ${dirname(ROLLBACK_COPY)}`,
        sh`if [ -f ${path} ]; then cp -p ${path} ${ROLLBACK_COPY}; else rm -f ${ROLLBACK_COPY}; fi`,
        file.apply(state),
        // Only a running sshd takes the change now (Ubuntu starts it from ssh.socket); a reload keeps every session.
        "systemctl try-reload-or-restart ssh",
      ].join("\n"),
    async verify() {
      // A reload makes sshd re-execute itself: for a moment its port refuses connections. A refusal is retried
      // briefly; a login sshd turns down fails at once.
      const deadline = Date.now() + RESTART_GRACE_MS;
      for (;;) {
        try {
          return await newLogin();
        } catch (error) {
          const message = (error as Error).message;
          if (!/connection refused|ECONNREFUSED|ECONNRESET/i.test(message) || Date.now() > deadline) {
            throw new Error(
              `sshd change refused: a new SSH login as the converge's user failed after the reload (${message}); check permit_root_login and allow_users`,
            );
          }
          await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    },
    rollback: () =>
      [
        sh`if [ -f ${ROLLBACK_COPY} ]; then cp -p ${ROLLBACK_COPY} ${path}; else rm -f ${path}; fi`,
        "systemctl try-reload-or-restart ssh",
      ].join("\n"),
  };
}
