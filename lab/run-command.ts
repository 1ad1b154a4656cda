// Local commands of the lab, its tests and the bench, each named in lab/requirements.ts's list, with errors that name the command.
import { execa } from "execa";
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
  /** Kill the command (SIGTERM, SIGKILL 5 s later) after this many milliseconds. */
  timeout?: number;
}

/** An absolute path runs as is; any other command must be in the package list. */
const resolved = (command: string) => (command.startsWith("/") ? command : tool(command));

/** Run a command to completion, capturing its output; never throws for a non-zero exit (it does when the command cannot start). */
export async function capture(command: string, args: string[], options: CommandOptions = {}): Promise<CommandResult> {
  // execa: input fed and closed (a command that exits without reading it is fine), SIGTERM at the timeout and SIGKILL
  // 5 s later if it ignores that, output decoded whole.
  const result = await execa(resolved(command), args, {
    cwd: options.cwd,
    env: options.env,
    ...(options.input === undefined ? { stdin: "ignore" as const } : { input: options.input }),
    timeout: options.timeout,
    reject: false,
  });
  if (result.exitCode === undefined && !result.isTerminated)
    throw new Error(`${command}: ${result.cause instanceof Error ? result.cause.message : result.shortMessage}`);
  return { code: result.exitCode ?? null, stdout: result.stdout, stderr: result.stderr };
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
