// Helpers of the operational CLIs (deploy.ts, failover.ts) that run playbooks as steps: a message printer that
// honours --json and masks secrets, and one playbook run with the CLI's reporter and options on a limit.
import { join } from "node:path";
import { UnreachableError } from "../connection/transport.ts";
import { InputError } from "../errors.ts";
import type { InventorySpec } from "../inventory/types.ts";
import type { Playbook } from "../dsl/playbook.ts";
import { humanReporter } from "../report/human.ts";
import { mask } from "../mask.ts";
import { ndjsonReporter } from "../report/ndjson.ts";
import { runPlaybook } from "../runner/run.ts";
import type { CliOptions } from "./args.ts";
import { REPO_ROOT, sshConnector } from "./main.ts";

/** Print one line of the CLI's own narrative: `{"type": <kind>, "message": …}` under --json, plain otherwise. */
export function sayer(cli: Pick<CliOptions, "json">, kind: string): (line: string) => void {
  return (line) =>
    cli.json
      ? process.stdout.write(`${JSON.stringify({ type: kind, message: mask(line) })}\n`)
      : console.log(mask(line));
}

/** Run `playbook` on `limit` as the CLI was asked (environment, diff, -v, --json, timeout); returns its exit code. */
export async function runStep(
  cli: CliOptions,
  inventory: InventorySpec,
  playbook: Playbook,
  limit: string,
  tags?: string[],
): Promise<number> {
  const result = await runPlaybook(playbook, {
    ...cli,
    // Where a step still differs from a plain run (main.ts), as before the options became one type (issue 36): it
    // always applies (no --check) and drops --skip-tags; below, it has no connectFresh (the lockout check after a
    // firewall or sshd change rides `connect`, an OpenSSH master under --persist) and no --profile reporter.
    check: false,
    skipTags: undefined,
    limit,
    tags,
    inventory,
    reporter: cli.json
      ? ndjsonReporter()
      : humanReporter({
          verbosity: cli.verbosity,
          color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
          live: false,
        }),
    connect: sshConnector(cli),
    repoRoot: REPO_ROOT,
    factsDir: join(REPO_ROOT, ".cache", "facts"),
  });
  return result.exitCode;
}

/** A positive number of seconds from an option, in ms (`fallback` seconds when absent). */
export function secondsOption(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback * 1000;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0)
    throw new InputError([`--${name} must be a positive number of seconds, found "${value}"`]);
  return number * 1000;
}

/** Set the process's exit code from an operational CLI's run: its own code, else 4 bad input, 3 unreachable, 1. */
export function exitWith(result: Promise<number>): void {
  result.then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(mask(`error: ${error.message}`));
      process.exitCode = error instanceof InputError ? 4 : error instanceof UnreachableError ? 3 : 1;
    },
  );
}
