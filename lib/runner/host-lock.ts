// One converge per host at a time: a lock on the host, taken by the run's first change there (a step in front of that
// apply, no round trip of its own; a no-op run never needs it) and held by a small process tied to the run's SSH
// login, so it ends with the run — also a killed one. The run's first probe notes who locked last and whether that
// run still holds it: when nobody took the lock since, the probes are current and the apply goes on in the same exec;
// otherwise the host is probed again first. A second run that must change the host waits for the lock, or fails the
// host with --no-wait; --check changes nothing and takes none.
import { randomBytes } from "node:crypto";
import { hostname, userInfo } from "node:os";
import { HOLDER_FILE } from "../facts/lock-state.ts";
import { quote } from "../shell.ts";
import type { Step } from "../connection/script-plan.ts";

export const LOCK_FILE = "/run/foobar/converge.lock";
/** The lock step's exit status when another run holds the lock (EX_TEMPFAIL). */
const BUSY = 75;
/** The lock step's exit status when it took the lock but another run had it since this run probed: probe again. */
const STALE = 76;

export interface RunLock {
  /** Random per run: tells this run's holder from another's. */
  id: string;
  /** "debian@ctl pid 4242, playbook site, started 2026-12-04T09:00:00.000Z": what a waiting run prints. */
  description: string;
}

/** A host session's part of the lock. */
export interface SessionLock {
  run: RunLock;
  held: boolean;
  noWait: boolean;
  /** The last locker's run id when this run first probed the host; undefined: unknown or still held then. */
  lastBeforeProbe?: string;
}

export function runLock(playbook: string): RunLock {
  const description = `${userInfo().username}@${hostname()} pid ${process.pid}, playbook ${playbook}, started ${new Date().toISOString()}`;
  return { id: randomBytes(8).toString("hex"), description: description.replace(/[\r\n]+/g, " ") };
}

/**
 * The lock step: take the lock (`waitSeconds` 0: only if free), then hand it to a holder process that lives as long
 * as the login this script came through — the first ancestor that is not a shell or sudo: sshd's session process (the
 * controller itself over the local transport) — and exits within 0.2 s of it. A holder whose login is already gone (the
 * last run just closed it) is ended at once rather than waited for. Prints `lock=held` (or `lock=unavailable` when not
 * root: nothing to lock against); when another run holds it, `lock=busy` and that run's description, exit 75. A run
 * whose holder has the lock already (a command's step under its `heldLock`) gets `lock=held` at once.
 */
export function lockStep(lock: RunLock, waitSeconds: number, lastBeforeProbe: string | undefined): Step {
  const seconds = Math.max(0, Math.floor(waitSeconds));
  const script = [
    "if ! { [ -d /run/foobar ] || mkdir -p /run/foobar 2>/dev/null; } || ! [ -w /run/foobar ]; then echo lock=unavailable; exit 0; fi",
    // Held already by this very run (a command that took the lock and runs a playbook as one of its steps).
    `if read -r foobar_id foobar_holder _ < ${HOLDER_FILE} 2>/dev/null && [ "$foobar_id" = ${quote(lock.id)} ] && [ -d "/proc/$foobar_holder" ]; then echo lock=held; exit 0; fi`,
    `exec 9>>${LOCK_FILE}`,
    "foobar_stale() {",
    `  read -r _ foobar_holder foobar_owner < ${HOLDER_FILE} 2>/dev/null && ! [ -d "/proc/$foobar_owner" ] && kill "$foobar_holder" 2>/dev/null && flock -w 2 9`,
    "}",
    `if ! { flock -n 9 || foobar_stale || ${seconds > 0 ? `flock -w ${seconds} 9` : "false"}; }; then`,
    `  echo lock=busy; tail -n 1 ${HOLDER_FILE} 2>/dev/null; exit ${BUSY}`,
    "fi",
    `foobar_last=none; read -r foobar_last _ < ${HOLDER_FILE} 2>/dev/null || true`,
    "foobar_login=$$",
    'while [ "$foobar_login" -gt 1 ]; do',
    "  read -r _ foobar_comm _ foobar_parent _ < /proc/$foobar_login/stat || break",
    "  case $foobar_comm in '(sh)'|'(dash)'|'(bash)'|'(zsh)'|'(sudo)') foobar_login=$foobar_parent ;; *) break ;; esac",
    "done",
    'if [ "$foobar_login" -gt 1 ]; then',
    '  setsid tail --pid="$foobar_login" -s 0.2 -f /dev/null </dev/null >/dev/null 2>&1 &',
    `  printf '%s %s %s\\n%s\\n' ${quote(lock.id)} "$!" "$foobar_login" ${quote(lock.description)} > ${HOLDER_FILE}`,
    "fi",
    `if [ "$foobar_last" = ${quote(lastBeforeProbe ?? "unknown")} ]; then echo lock=held; else echo lock=held-stale; exit ${STALE}; fi`,
  ].join("\n");
  return { script, lockWaitSeconds: seconds };
}

/**
 * held: this run has it and its probes are current; stale: it has it, but another run had it since this one probed;
 * unavailable: not root, no lock taken; busy: another run has it (its description).
 */
export type LockState = { state: "held" | "stale" | "unavailable" } | { state: "busy"; holder: string };

export function parseLock(output: string, status: number): LockState {
  const lines = output.trim().split("\n");
  const last = lines.at(-1);
  if (status === BUSY && lines[0] === "lock=busy")
    return { state: "busy", holder: lines.slice(1).join(" ").trim() || "another run (no description left)" };
  if (status === STALE && last === "lock=held-stale") return { state: "stale" };
  if (status === 0 && (last === "lock=held" || last === "lock=unavailable"))
    return { state: last === "lock=held" ? "held" : "unavailable" };
  throw new Error(`converge lock: unexpected output (exit ${status}): ${JSON.stringify(output.slice(0, 200))}`);
}

/** Ends this run's holder (for a login that outlives the run: --persist); another run's is left alone. */
export function releaseScript(lock: RunLock): string {
  return `read -r foobar_id foobar_pid _ < ${HOLDER_FILE} 2>/dev/null && [ "$foobar_id" = ${quote(lock.id)} ] && kill "$foobar_pid" 2>/dev/null; true`;
}
