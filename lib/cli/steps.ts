// Helpers of the operational CLIs (deploy.ts, failover.ts, secrets.ts rotate) that run playbooks as steps: a message
// printer that honours --json and masks secrets, and one playbook run with every option the CLI was given, on a limit.
import { UnreachableError } from "../connection/transport.ts";
import { InputError } from "../errors.ts";
import type { InventorySpec } from "../inventory/types.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { mask } from "../mask.ts";
import { runPlaybook } from "../runner/run.ts";
import type { RunOptions } from "../runner/run-options.ts";
import type { CliOptions } from "./args.ts";
import { cliRunOptions } from "./cli-run.ts";

/** Print one line of the CLI's own narrative: `{"type": <kind>, "message": …}` under --json, plain otherwise. */
export function sayer(cli: Pick<CliOptions, "json">, kind: string): (line: string) => void {
  return (line) =>
    cli.json
      ? process.stdout.write(`${JSON.stringify({ type: kind, message: mask(line) })}\n`)
      : console.log(mask(line));
}

/**
 * Run `playbook` on `limit` with every option of `cli` (--check, --diff, -v, --json, --profile, --persist, --no-wait…);
 * `tags` narrows what the step applies. `held`: a converge lock this command holds already (lib/runner/host-lock.ts).
 */
export function stepRunOptions(
  cli: CliOptions,
  inventory: InventorySpec,
  limit: string,
  tags?: string[],
  held?: RunOptions["heldLock"],
): RunOptions {
  return { ...cliRunOptions(cli, inventory, false), limit, tags: tags ?? cli.tags, heldLock: held };
}

/** One step: `playbook` run on `limit` as stepRunOptions says; returns its exit code. */
export async function runStep(
  cli: CliOptions,
  inventory: InventorySpec,
  playbook: Playbook,
  limit: string,
  tags?: string[],
  held?: RunOptions["heldLock"],
): Promise<number> {
  return (await runPlaybook(playbook, stepRunOptions(cli, inventory, limit, tags, held))).exitCode;
}

/** A positive number of seconds from an option, in ms (`fallback` seconds when absent). */
export function secondsOption(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback * 1000;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InputError([`--${name} must be a positive number of seconds, found "${value}"`]);
  return number * 1000;
}

/** The exit code of an operational CLI that threw: 4 bad input, 3 unreachable, 1 anything else. */
export function exitCodeOf(error: unknown): number {
  return error instanceof InputError ? 4 : error instanceof UnreachableError ? 3 : 1;
}

/** Set the process's exit code from an operational CLI's run: its own code, else exitCodeOf its error (printed). */
export function exitWith(result: Promise<number>): void {
  result.then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(mask(`error: ${error.message}`));
      process.exitCode = exitCodeOf(error);
    },
  );
}
