// Timing whole commands for the as-typed rows: a new process per run; the floors and the recorded execs as shell scripts.
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../lab/paths.ts";
import { tool } from "../lab/requirements.ts";
import { quote } from "../lib/shell.ts";

/** Wall milliseconds of one whole command; throws with its output when it fails or is not a no-op. */
export function timedRun(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  return noopRun(argv, argv, env).wallMs;
}

/** bash's `times`, after the command: its second line is the children's user and system time ("0m1.234s 0m0.345s"). */
const WITH_TIMES = ['"$@"; status=$?; times >&2; exit $status', "bash"];

/**
 * Wall and CPU milliseconds of one whole command (CPU: user + system of the command and every process it waited for,
 * as bash's `times` reports them; bash adds its own start to the wall time); throws with its output when it fails or
 * is not a no-op.
 */
export function measuredRun(argv: string[], env: NodeJS.ProcessEnv = process.env): { wallMs: number; cpuMs: number } {
  const { wallMs, stderr } = noopRun([tool("bash"), "-c", ...WITH_TIMES, ...argv], argv, env);
  return { wallMs, cpuMs: childrenCpuMs(stderr) };
}

/** Run `spawned` (which runs the command `argv`) once, timed; throws with its output when it fails or is not a no-op. */
function noopRun(spawned: string[], argv: string[], env: NodeJS.ProcessEnv): { wallMs: number; stderr: string } {
  const started = performance.now();
  const result = spawnSync(spawned[0]!, spawned.slice(1), {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const wallMs = performance.now() - started;
  if (result.status !== 0)
    throw new Error(
      `${argv.join(" ")} failed (exit ${result.status}):\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`,
    );
  if (/changed=[1-9]/.test(result.stdout))
    throw new Error(`${argv.join(" ")} is not a no-op:\n${result.stdout.slice(-1500)}`);
  return { wallMs, stderr: result.stderr };
}

/** The children's line of bash's `times` (the last line), in milliseconds. */
export function childrenCpuMs(stderr: string): number {
  const line = stderr.trimEnd().split("\n").at(-1) ?? "";
  const times = [...line.matchAll(/(\d+)m([\d.]+)s/g)];
  if (times.length !== 2) throw new Error(`no CPU times from bash's times: "${line}"`);
  return times.reduce((sum, [, minutes, seconds]) => sum + (Number(minutes) * 60 + Number(seconds)) * 1000, 0);
}

/**
 * A shell script running `ssh … HOST true` for every address at once (sshWords: the client and its options); with
 * `become`, `sudo -n true`, the least a login that must become root does (as the runner does for such hosts).
 */
export function sshTrueEverywhere(sshWords: string[], addresses: string[], become = false): string[] {
  return [
    "/bin/sh",
    "-c",
    `for host in ${addresses.join(" ")}; do ${sshWords.join(" ")} $host ${become ? "'sudo -n true'" : "true"} & done; wait`,
  ];
}

/** One host's exec as a run sent it: the command, and the file holding its stdin. */
export interface RecordedExec {
  command: string;
  stdinFile: string;
}

/** A shell script sending every address its recorded exec at once (sshWords: the client and its options); fails if one does. */
export function replayEverywhere(sshWords: string[], execs: ReadonlyMap<string, RecordedExec>): string[] {
  const lines = [...execs].map(
    ([address, { command, stdinFile }]) =>
      `${sshWords.join(" ")} ${address} ${quote(command)} < ${quote(stdinFile)} > /dev/null & pids="$pids $!"`,
  );
  return ["/bin/sh", "-c", [...lines, 'for pid in $pids; do wait "$pid" || exit 1; done'].join("\n")];
}
