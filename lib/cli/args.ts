// Command-line options shared by every playbook file: parsed with node:util parseArgs from the table in flags.ts.
import { parseArgs } from "node:util";
import { InputError } from "../errors.ts";
import { FLAGS, OPTIONS_USAGE, type Flag, type FlagValues } from "./flags.ts";

export interface CliOptions extends FlagValues {
  /** Options a playbook defines for itself (e.g. deploy.ts --version). */
  extra: Record<string, string | boolean | undefined>;
}

export const USAGE = `Options:
${OPTIONS_USAGE}
Exit codes: 0 converged, 1 a task failed, 2 --check found drift, 3 a host was unreachable, 4 invalid input.`;

type ExtraOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

const entries = Object.entries(FLAGS) as [keyof FlagValues, Flag<unknown>][];

/** parseArgs' options for the table's flags. */
function parseArgsOptions() {
  return Object.fromEntries(
    entries.map(([, { long, type, short, multiple, default: initial }]) => [
      long,
      // parseArgs rejects a key that is present but undefined.
      Object.fromEntries(
        Object.entries({ type, short, multiple, default: initial }).filter(([, value]) => value !== undefined),
      ),
    ]),
  ) as Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean; default?: string | boolean }>;
}

export function parseCli(argv: string[], extra: ExtraOptions = {}): CliOptions {
  let values: Record<string, string | boolean | boolean[] | undefined>;
  try {
    values = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: { ...parseArgsOptions(), ...extra },
    }).values as typeof values;
  } catch (error) {
    throw new InputError([(error as Error).message]);
  }
  const options = Object.fromEntries(
    entries.map(([field, spec]) => [field, spec.read(values[spec.long], spec.long)]),
  ) as FlagValues;
  return {
    ...options,
    extra: Object.fromEntries(Object.keys(extra).map((name) => [name, values[name] as string | boolean | undefined])),
  };
}
