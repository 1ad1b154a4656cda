// Timing whole commands for the as-typed rows: one new process per run, and the OpenSSH floor as one shell script.
import { spawnSync } from "node:child_process";
import { REPO_ROOT } from "../lab/paths.ts";

/** Wall milliseconds of one whole command; throws with its output when it fails or is not a no-op. */
export function timedRun(argv: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = performance.now();
  const result = spawnSync(argv[0]!, argv.slice(1), {
    cwd: REPO_ROOT,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    env,
  });
  const elapsed = performance.now() - started;
  if (result.status !== 0)
    throw new Error(
      `${argv.join(" ")} failed (exit ${result.status}):\n${result.stdout.slice(-1500)}${result.stderr.slice(-1500)}`,
    );
  if (/changed=[1-9]/.test(result.stdout))
    throw new Error(`${argv.join(" ")} is not a no-op:\n${result.stdout.slice(-1500)}`);
  return elapsed;
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
