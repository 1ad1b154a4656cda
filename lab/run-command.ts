// Local commands of the lab, its tests and the bench, each named in lab/requirements.ts's list, with errors that name the command.
// node:child_process rather than execa: uvu loads the lab tests through tsx's require hook, whose CommonJS resolution
// cannot reach execa's import-only dependencies (tried: ERR_PACKAGE_PATH_NOT_EXPORTED for unicorn-magic).
import { spawn } from "node:child_process";
import { tool } from "./requirements.ts";

export interface CommandResult {
  /** Exit code; null when the command was killed (by a signal or the timeout). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CommandOptions {
  input?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the command (SIGTERM) after this many milliseconds. */
  timeout?: number;
}

/** An absolute path runs as is; any other command must be in the package list. */
const resolved = (command: string) => (command.startsWith("/") ? command : tool(command));

/** Run a command to completion, capturing its output; never throws for a non-zero exit. */
export function capture(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(resolved(command), args, { cwd: options.cwd, env: options.env ?? process.env, timeout: options.timeout, stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"] });
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
export async function run(command: string, args: string[], options: CommandOptions = {}): Promise<string> {
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
