// `--limit @failed`: the hosts the last run of this playbook on this inventory did not complete (failed, unreachable,
// a play skipped), read from the run history; with other patterns, they join them (`@failed,web-01`, `@failed,!db-01`).
import { join } from "node:path";
import { InputError } from "../errors.ts";
import { lastRunOf } from "../report/history-store.ts";

export const FAILED_PATTERN = "@failed";

/** The limit to run with, or why there is nothing to run (no host to rerun and no other host named). */
export type FailedLimit = { limit: string | undefined } | { nothing: string };

export function resolveFailedLimit(
  limit: string | undefined,
  playbook: string,
  environment: string,
  dir: string,
): FailedLimit {
  const patterns = (limit ?? "").split(",").map((pattern) => pattern.trim());
  if (!patterns.some((pattern) => pattern.replace(/^!/, "") === FAILED_PATTERN)) return { limit };
  const last = lastRunOf(dir, playbook, environment);
  if (!last)
    throw new InputError([
      `--limit ${FAILED_PATTERN}: no run of ${playbook} on inventory ${environment} in the history (${join(dir, environment)})`,
    ]);
  const hosts = Object.keys(last.rerun);
  const resolved = patterns.flatMap((pattern) =>
    pattern === FAILED_PATTERN ? hosts : pattern === `!${FAILED_PATTERN}` ? hosts.map((host) => `!${host}`) : [pattern],
  );
  // Only @failed named the hosts to run, and it names none: no other host is run in their place (not every host).
  if (patterns.includes(FAILED_PATTERN) && !resolved.some((pattern) => pattern && !pattern.startsWith("!")))
    return {
      nothing: `--limit ${FAILED_PATTERN}: nothing to rerun: the last run of ${playbook} on ${environment} (${last.id}, exit ${last.exitCode}) completed on every host`,
    };
  return { limit: resolved.filter(Boolean).join(",") };
}
