// Command-line options shared by every playbook file (parsed with node:util parseArgs).
import { parseArgs } from "node:util";
import { InputError } from "../errors.ts";

export interface CliOptions {
  environment: string;
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  check: boolean;
  diff: boolean;
  forks: number;
  json: boolean;
  verbosity: number;
  acceptNewHostKeys: boolean;
  timeoutSeconds: number;
  /** Keep each host's SSH login open this many idle seconds for the next run (OpenSSH ControlPersist); 0: off. */
  persistSeconds: number;
  /** Fail a host whose converge lock another run holds instead of waiting for it. */
  noWait: boolean;
  /** Print the slowest tasks and each host's way through the plays at the end. */
  profile: boolean;
  help: boolean;
  listHosts: boolean;
  /** Options a playbook defines for itself (e.g. deploy.ts --version). */
  extra: Record<string, string | boolean | undefined>;
}

export const USAGE = `Options:
  -i, --inventory NAME       environment of hosts.ts: production (default), lab, vagrant
  -l, --limit PATTERNS       hosts, groups or globs, comma-separated; !pattern excludes
  -t, --tags TAGS            only resources with one of these tags (role names are tags)
      --skip-tags TAGS       leave out resources with one of these tags
  -C, --check                probe and plan only; exit 2 when something would change
  -D, --diff                 show unified diffs of file content (secrets masked)
  -f, --forks N              hosts worked on at once (default 50)
      --json                 NDJSON events on stdout (one per task result, then the recap)
  -v, --verbose              -v shows every task, -vv also the scripts sent (secrets masked)
      --accept-new-host-keys pin unknown SSH host keys in ./known_hosts (changed keys are always refused)
      --timeout SECONDS      limit for one remote command (default 900)
      --persist SECONDS      keep each host's login open SECONDS after the run (OpenSSH ControlPersist,
                             sockets in a private 0700 directory; see README "Persistent connections")
      --no-wait              a host another run is converging fails at once (exit 1) instead of waiting
                             for that run's lock (one converge per host at a time; --check takes no lock)
      --profile              at the end: the slowest tasks and each host's plays (busy and idle time);
                             --json events carry every task's and host's start and duration anyway
      --list-hosts           print the hosts each play targets and exit
  -h, --help                 this text
Exit codes: 0 converged, 1 a task failed, 2 --check found drift, 3 a host was unreachable, 4 invalid input.`;

function persistSeconds(text: string): number {
  const seconds = Number(text);
  if (!Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) throw new InputError([`--persist must be whole seconds from 0 (off) to 86400, found "${text}"`]);
  return seconds;
}

type ExtraOptions = Record<string, { type: "string" | "boolean"; short?: string }>;

export function parseCli(argv: string[], extra: ExtraOptions = {}): CliOptions {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        inventory: { type: "string", short: "i", default: "production" },
        limit: { type: "string", short: "l" },
        tags: { type: "string", short: "t" },
        "skip-tags": { type: "string" },
        check: { type: "boolean", short: "C", default: false },
        diff: { type: "boolean", short: "D", default: false },
        forks: { type: "string", short: "f", default: "50" },
        json: { type: "boolean", default: false },
        verbose: { type: "boolean", short: "v", multiple: true },
        "accept-new-host-keys": { type: "boolean", default: false },
        timeout: { type: "string", default: "900" },
        persist: { type: "string", default: process.env.FOOBAR_SSH_PERSIST ?? "0" },
        "no-wait": { type: "boolean", default: false },
        profile: { type: "boolean", default: false },
        "list-hosts": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
        ...extra,
      },
    });
  } catch (error) {
    throw new InputError([(error as Error).message]);
  }
  const values = parsed.values as Record<string, unknown>;
  const positive = (name: string) => {
    const number = Number(values[name]);
    if (!Number.isInteger(number) || number < 1) throw new InputError([`--${name} must be a positive integer, found "${values[name]}"`]);
    return number;
  };
  const list = (name: string) => (values[name] as string | undefined)?.split(",").map((item) => item.trim()).filter(Boolean);
  return {
    environment: values.inventory as string,
    limit: values.limit as string | undefined,
    tags: list("tags"),
    skipTags: list("skip-tags"),
    check: values.check as boolean,
    diff: values.diff as boolean,
    forks: positive("forks"),
    json: values.json as boolean,
    verbosity: (values.verbose as boolean[] | undefined)?.length ?? 0,
    acceptNewHostKeys: values["accept-new-host-keys"] as boolean,
    timeoutSeconds: positive("timeout"),
    persistSeconds: persistSeconds(values.persist as string),
    noWait: values["no-wait"] as boolean,
    profile: values.profile as boolean,
    help: values.help as boolean,
    listHosts: values["list-hosts"] as boolean,
    extra: Object.fromEntries(Object.keys(extra).map((name) => [name, values[name] as string | boolean | undefined])),
  };
}
