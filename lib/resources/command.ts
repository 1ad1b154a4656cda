// Resource: a command guarded by creates/unless/onlyIf, so it runs only when needed.
import { shellProbe } from "../facts/probe.ts";
import { sh } from "../shell.ts";
import { commonFields, type CommonOptions, type Resource } from "./resource.ts";

export interface CommandOptions extends CommonOptions {
  /** Skip when this path exists. */
  creates?: string;
  /** Skip when this read-only check exits 0 (it runs in the probe batch). */
  unless?: string;
  /** Run only when this read-only check exits 0. */
  onlyIf?: string;
  /** Shown instead of the command in reports (e.g. when the command is long). */
  description?: string;
  /**
   * The files the guards read, when they read nothing else: the guards' answer is then kept between runs and
   * reused while these files' stat lines are unchanged (lib/runner/probe-memo.ts). Leave it out for any other guard.
   * A command guarded by `creates` alone depends on that path without saying so.
   */
  dependsOn?: string[];
}

/**
 * `name` identifies the command in reports. At least one guard is required: a command that
 * runs on every converge can never report "ok" and breaks the second-run-changes-nothing promise.
 */
export function command(name: string, script: string, options: CommandOptions): Resource<boolean> {
  if (!options.creates && !options.unless && !options.onlyIf) {
    throw new Error(`command "${name}" needs a guard (creates, unless or onlyIf) to be idempotent`);
  }
  const checks: string[] = [];
  if (options.creates) checks.push(sh`[ ! -e ${options.creates} ]`);
  if (options.unless) checks.push(`! ( ${options.unless} ) >/dev/null 2>&1`);
  if (options.onlyIf) checks.push(`( ${options.onlyIf} ) >/dev/null 2>&1`);
  return {
    id: `command:${name}`,
    ...commonFields(options),
    probe: () =>
      shellProbe(
        `if ${checks.join(" && ")}; then echo needed; else echo done; fi`,
        options.dependsOn ?? (options.unless || options.onlyIf ? [] : [options.creates!]),
      ),
    parse: (stdout) => stdout.trim() === "needed",
    plan: (needed) => (needed ? [{ summary: options.description ?? `run ${name}` }] : []),
    apply: () => script,
  };
}
