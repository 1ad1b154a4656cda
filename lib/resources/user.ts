// Resources: a local group and a local user (system accounts for services), via getent/useradd.
import { shellProbe } from "../facts/probe.ts";
import { sh } from "../shell.ts";
import { ProbeParseError } from "../facts/probe-error.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface UserOptions extends CommonOptions {
  system?: boolean;
  home?: string;
  shell?: string;
  /** Primary group (created beforehand); default: a group named after the user. */
  group?: string;
  /** Create the home directory (default: false for system users). */
  createHome?: boolean;
}

interface Account {
  exists: boolean;
  home?: string;
  shell?: string;
  group?: string;
}

/**
 * What getent answers for local accounts: the account files, and the name-service configuration that says where
 * getent looks (accounts kept by a directory service elsewhere are not local accounts).
 */
const ACCOUNT_FILES = ["/etc/passwd", "/etc/group", "/etc/nsswitch.conf"];

function parseAccount(id: string, stdout: string): Account {
  const [entry, group] = stdout.split("\n");
  if (!entry) return { exists: false };
  const fields = entry.split(":");
  if (fields.length < 7) throw new ProbeParseError(id, "bad passwd entry", stdout);
  return { exists: true, home: fields[5], shell: fields[6], group };
}

export function user(name: string, options: UserOptions = {}): Resource<Account> {
  const id = `user:${name}`;
  const shell = options.shell ?? (options.system ? "/usr/sbin/nologin" : "/bin/sh");
  return {
    id,
    ...commonFields(options),
    probe: () => shellProbe(sh`getent passwd ${name} && id -gn ${name}`, ACCOUNT_FILES),
    parse: (stdout) => parseAccount(id, stdout),
    plan(account): Change[] {
      if (!account.exists) return [{ summary: `create${options.system ? " system user" : ""}` }];
      const changes: Change[] = [];
      if (account.shell !== shell) changes.push({ summary: `shell ${account.shell} -> ${shell}` });
      if (options.home && account.home !== options.home)
        changes.push({ summary: `home ${account.home} -> ${options.home}` });
      if (options.group && account.group !== options.group)
        changes.push({ summary: `group ${account.group} -> ${options.group}` });
      return changes;
    },
    apply(account): string {
      const flags: string[] = ["--shell", shell];
      if (options.home) flags.push("--home", options.home);
      if (options.group) flags.push("--gid", options.group);
      if (account.exists) return sh`usermod ${flags} ${name}`;
      if (options.system) flags.push("--system");
      if (!options.group) flags.push("--user-group");
      flags.push((options.createHome ?? !options.system) ? "--create-home" : "--no-create-home");
      return sh`useradd ${flags} ${name}`;
    },
  };
}

export function group(name: string, options: CommonOptions & { system?: boolean } = {}): Resource<boolean> {
  return {
    id: `group:${name}`,
    ...commonFields(options),
    probe: () => shellProbe(sh`getent group ${name} >/dev/null && echo yes || echo no`, ACCOUNT_FILES),
    parse: (stdout) => stdout.trim() === "yes",
    plan: (exists) => (exists ? [] : [{ summary: "create" }]),
    apply: () => sh`groupadd ${options.system ? ["--system"] : []} ${name}`,
  };
}
