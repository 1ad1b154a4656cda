// Command-line options shared by every playbook file: parsed with node:util parseArgs from the table in flags.ts; a
// command names the shared options it honours, and any other one given is refused (exit 4), never ignored.
import { parseArgs } from "node:util";
import { InputError } from "../errors.ts";
import { FLAGS, OPTIONS_USAGE, optionsUsage, type Flag, type FlagValues } from "./flags.ts";

export interface CliOptions extends FlagValues {
  /** Options a playbook defines for itself (e.g. deploy.ts --version). */
  extra: Record<string, string | boolean | undefined>;
}

/** What a run's exit code means, by code: USAGE's last line and the CLI reference's table. */
export const EXIT_CODES = [
  "converged",
  "a task failed",
  "--check found drift",
  "a host was unreachable",
  "invalid input",
] as const;

const EXIT_LINE = `Exit codes: ${EXIT_CODES.map((meaning, code) => `${code} ${meaning}`).join(", ")}.`;

/** A playbook run's options and exit codes, for its --help. */
export const USAGE = `Options:
${OPTIONS_USAGE}
${EXIT_LINE}`;

/** The shared options `commands` take (any of them; --help always), and the exit codes: the part of a --help after
 * the command's own text. Options a command refuses are not listed. */
export function usageOf(...commands: CommandOptions[]): string {
  const taken = (field: FlagName) => commands.some((command) => honoursFlag(command, field));
  return `Options:
${optionsUsage((Object.keys(FLAGS) as FlagName[]).filter(taken))}
${EXIT_LINE}`;
}

export type ExtraOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

export type FlagName = keyof FlagValues;

/** What a command takes on its command line. */
export interface CommandOptions {
  /** How messages name the command, e.g. "deploy.ts" or "secrets.ts list". */
  name: string;
  /** The command's own options. */
  extra?: ExtraOptions;
  /** The shared options it honours ("all": a playbook run); --help always. Any other one given is refused. */
  honours: "all" | readonly FlagName[];
  /** Why a shared option is refused, where more can be said than "not an option of this command". */
  refusals?: Partial<Record<FlagName, string>>;
  /** Why any other refused option is: for commands that take few (graph.ts: "it runs nothing"). */
  refusal?: string;
}

/** What a command honours when it runs playbooks as steps: how they connect, wait and report. */
export const STEP_FLAGS: readonly FlagName[] = [
  "json",
  "verbosity",
  "acceptNewHostKeys",
  "timeoutSeconds",
  "persistSeconds",
  "noWait",
  "profile",
];

/** A playbook run (site.ts, a user's own playbook file): every shared option. */
export const PLAYBOOK_RUN: CommandOptions = { name: "playbook", honours: "all" };

const entries = Object.entries(FLAGS) as [FlagName, Flag<unknown>][];
const fieldOfLong = new Map(entries.map(([field, spec]) => [spec.long, field]));

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

/** True when `command` takes the shared option `field` (--help always). */
export function honoursFlag(command: CommandOptions, field: FlagName): boolean {
  return command.honours === "all" || field === "help" || command.honours.includes(field);
}

/** Why `command` refuses the shared option `field`. */
export function refusalOf(command: CommandOptions, field: FlagName): string {
  return command.refusals?.[field] ?? command.refusal ?? "it is not an option of this command";
}

/** The shared options given on the command line that `command` does not honour, each with why. */
function refusedIn(given: Set<string>, command: CommandOptions): string[] {
  return [...given]
    .map((long) => fieldOfLong.get(long))
    .filter((field): field is FlagName => field !== undefined && !honoursFlag(command, field))
    .map((field) => `${command.name}: --${FLAGS[field].long} is not supported: ${refusalOf(command, field)}`);
}

export function parseCli(argv: string[], command: CommandOptions = PLAYBOOK_RUN): CliOptions {
  const extra = command.extra ?? {};
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      tokens: true,
      options: { ...parseArgsOptions(), ...extra },
    });
  } catch (error) {
    throw new InputError([`${command.name}: ${(error as Error).message}`]);
  }
  const values = parsed.values as Record<string, string | boolean | boolean[] | undefined>;
  const given = new Set((parsed.tokens ?? []).flatMap((token) => (token.kind === "option" ? [token.name] : [])));
  const refused = refusedIn(given, command);
  if (refused.length) throw new InputError(refused);
  const options = Object.fromEntries(
    entries.map(([field, spec]) => [field, spec.read(values[spec.long], spec.long)]),
  ) as FlagValues;
  return {
    ...options,
    extra: Object.fromEntries(Object.keys(extra).map((name) => [name, values[name] as string | boolean | undefined])),
  };
}
