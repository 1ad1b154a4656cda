// Every option a playbook file takes, in one table: parseArgs' mapping, the usage text and the options each fills.
import { InputError } from "../errors.ts";

type Parsed = string | boolean | boolean[] | undefined;

export interface Flag<T> {
  long: string;
  short?: string;
  type: "string" | "boolean";
  multiple?: boolean;
  default?: string | boolean;
  /** The value's name in the usage text. */
  arg?: string;
  /** Usage text: the first line beside the flag, the rest below it. */
  help: readonly string[];
  /** The option's value from what parseArgs read (throws InputError naming the flag on a bad value). */
  read(value: Parsed, long: string): T;
}

const flag = <T>(spec: Flag<T>): Flag<T> => spec;

function positive(value: Parsed, long: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InputError([`--${long} must be a positive integer, found "${value}"`]);
  return number;
}

function persistSeconds(value: Parsed): number {
  const seconds = Number(value);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400)
    throw new InputError([`--persist must be whole seconds from 0 (off) to 86400, found "${value}"`]);
  return seconds;
}

/** A comma-separated list; given but empty (an unset shell variable: `-t "$TAGS"`) is an error, never "no filter". */
function list(value: Parsed, long: string): string[] | undefined {
  if (value === undefined) return undefined;
  const items = (value as string)
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean);
  if (items.length === 0)
    throw new InputError([`--${long} is empty ("${value}"): name at least one, or leave --${long} out`]);
  return items;
}
const on = (value: Parsed) => value as boolean;

/** Keyed by the option each fills; in the order the usage text lists them. */
export const FLAGS = {
  environment: flag({
    long: "inventory",
    short: "i",
    type: "string",
    default: "production",
    arg: "NAME",
    help: ["environment of hosts.ts: production (default), lab, vagrant"],
    read: (value) => value as string,
  }),
  limit: flag({
    long: "limit",
    short: "l",
    type: "string",
    arg: "PATTERNS",
    help: ["hosts, groups or globs, comma-separated; !pattern excludes"],
    // Kept as written (lib/runner/limit.ts reads the patterns), but never empty: that would mean every host.
    read: (value, long) => list(value, long) && (value as string),
  }),
  tags: flag({
    long: "tags",
    short: "t",
    type: "string",
    arg: "TAGS",
    help: ["only resources with one of these tags (role names are tags)"],
    read: list,
  }),
  skipTags: flag({
    long: "skip-tags",
    type: "string",
    arg: "TAGS",
    help: ["leave out resources with one of these tags"],
    read: list,
  }),
  check: flag({
    long: "check",
    short: "C",
    type: "boolean",
    default: false,
    help: ["probe and plan only; exit 2 when something would change"],
    read: on,
  }),
  diff: flag({
    long: "diff",
    short: "D",
    type: "boolean",
    default: false,
    help: ["show unified diffs of file content (secrets masked)"],
    read: on,
  }),
  forks: flag({
    long: "forks",
    short: "f",
    type: "string",
    default: "50",
    arg: "N",
    help: ["hosts worked on at once (default 50)"],
    read: positive,
  }),
  json: flag({
    long: "json",
    type: "boolean",
    default: false,
    help: ["NDJSON events on stdout, one per line (docs/events.md lists them)"],
    read: on,
  }),
  verbosity: flag({
    long: "verbose",
    short: "v",
    type: "boolean",
    multiple: true,
    help: ["-v shows every task, -vv also the scripts sent (secrets masked)"],
    read: (value) => (value as boolean[] | undefined)?.length ?? 0,
  }),
  acceptNewHostKeys: flag({
    long: "accept-new-host-keys",
    type: "boolean",
    default: false,
    help: ["pin unknown SSH host keys in ./known_hosts (changed keys are always refused)"],
    read: on,
  }),
  timeoutSeconds: flag({
    long: "timeout",
    type: "string",
    default: "900",
    arg: "SECONDS",
    help: ["limit for one remote command (default 900)"],
    read: positive,
  }),
  persistSeconds: flag({
    long: "persist",
    type: "string",
    arg: "SECONDS",
    help: [
      "keep each host's login open SECONDS after the run (OpenSSH ControlPersist,",
      "sockets in a private 0700 directory; see docs/operations.md)",
    ],
    // The environment's default is read at parse time, as a test or a wrapper may set it after start.
    read: (value) => persistSeconds(value ?? process.env.FOOBAR_SSH_PERSIST ?? "0"),
  }),
  noWait: flag({
    long: "no-wait",
    type: "boolean",
    default: false,
    help: [
      "a host another run is converging fails at once (exit 1) instead of waiting",
      "for that run's lock (one converge per host at a time; --check takes no lock)",
    ],
    read: on,
  }),
  profile: flag({
    long: "profile",
    type: "boolean",
    default: false,
    help: [
      "at the end: the slowest tasks and each host's plays (busy and idle time);",
      "--json events carry every task's and host's start and duration anyway",
    ],
    read: on,
  }),
  listHosts: flag({
    long: "list-hosts",
    type: "boolean",
    default: false,
    help: ["print the hosts each play targets and exit"],
    read: on,
  }),
  help: flag({ long: "help", short: "h", type: "boolean", default: false, help: ["this text"], read: on }),
};

export type FlagValues = { [K in keyof typeof FLAGS]: ReturnType<(typeof FLAGS)[K]["read"]> };

/** Where the usage text's help column starts. */
const HELP_COLUMN = 29;

/** One flag's lines of the usage text. */
function usageLines(spec: Flag<unknown>): string[] {
  const name = `${spec.short ? `-${spec.short}, ` : "    "}--${spec.long}${spec.arg ? ` ${spec.arg}` : ""}`;
  const [first = "", ...rest] = spec.help;
  return [
    `  ${name}`.padEnd(HELP_COLUMN - 1) + ` ${first}`,
    ...rest.map((line) => `${" ".repeat(HELP_COLUMN)}${line}`),
  ];
}

/** The options part of a command's --help: the given options (all by default), in the table's order. */
export function optionsUsage(fields: readonly (keyof typeof FLAGS)[] = Object.keys(FLAGS) as (keyof typeof FLAGS)[]) {
  return (Object.keys(FLAGS) as (keyof typeof FLAGS)[])
    .filter((field) => fields.includes(field))
    .flatMap((field) => usageLines(FLAGS[field] as Flag<unknown>))
    .join("\n");
}

/** The options part of a playbook run's --help: every option. */
export const OPTIONS_USAGE = optionsUsage();
