// Local commands of the lab (ip, mount, debootstrap, ...) with errors that name the command.
// node:child_process rather than execa: execa is ESM-only and the test runner loads lab code as CommonJS.
import { spawn } from "node:child_process";

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run a command to completion, capturing its output; never throws for a non-zero exit. */
export function capture(command: string, args: string[], options: { input?: string; cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr?.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: stdout.replace(/\n$/, ""), stderr }));
    if (options.input !== undefined && child.stdin) {
      child.stdin.on("error", () => undefined); // the command may exit without reading its input
      child.stdin.end(options.input);
    }
  });
}

/** Run a command; throw with the tail of its stderr when it fails. */
export async function run(command: string, args: string[], options: { input?: string; cwd?: string } = {}): Promise<string> {
  const result = await capture(command, args, options);
  if (result.code !== 0) {
    const detail = (result.stderr || result.stdout).trim().split("\n").slice(-5).join("\n");
    throw new Error(`${command} ${args.join(" ")} failed (exit ${result.code}): ${detail}`);
  }
  return result.stdout;
}

/** Run a command whose failure is expected and harmless (cleanup of what may not exist). */
export async function tryRun(command: string, args: string[]): Promise<boolean> {
  return (await capture(command, args).catch(() => ({ code: 1 }))).code === 0;
}
