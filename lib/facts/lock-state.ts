// Fact: who took a host's converge lock last and whether that run still holds it (lib/runner/host-lock.ts takes it).
import type { LockStateProbe } from "./probe.ts";

/** Who holds the lock: `<run id> <holder pid> <login pid>` on the first line, the holder's description on the second. */
export const HOLDER_FILE = "/run/foobar/converge.holder";

export const lockStateProbe: LockStateProbe = { kind: "lock-state" };

/** Shell builtins only: the last locker's id, and whether its holder lives. */
export const LOCK_STATE_SCRIPT = `foobar_id=none; foobar_holder=0
read -r foobar_id foobar_holder _ < ${HOLDER_FILE} 2>/dev/null
if [ -d "/proc/$foobar_holder" ]; then echo "last=$foobar_id held"; else echo "last=$foobar_id free"; fi`;

/** The last locker when nobody holds the lock now (undefined while a run holds it: its changes may be half done). */
export function parseLockState(output: string): string | undefined {
  const found = /^last=(\S+) (held|free)$/m.exec(output);
  return found?.[2] === "free" ? found[1] : undefined;
}
