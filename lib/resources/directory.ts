// Resource: a directory (created with parents) with owner, group and mode, or absent.
import { normalMode, parseStat, statProbe, type PathStat } from "../facts/file-stat.ts";
import { sh } from "../shell.ts";
import { ownershipChanges, ownershipCommands, type Ownership } from "./ownership.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface DirectoryOptions extends CommonOptions {
  state?: "present" | "absent";
  owner?: string;
  group?: string;
  mode?: string | number;
}

export function directory(path: string, options: DirectoryOptions = {}): Resource<PathStat> {
  if (!path.startsWith("/")) throw new Error(`directory path must be absolute: "${path}"`);
  const ownership: Ownership = {
    owner: options.owner,
    group: options.group,
    mode: options.mode === undefined ? undefined : normalMode(options.mode),
  };
  const absent = options.state === "absent";
  return {
    id: `directory:${path}`,
    ...commonFields(options),
    probe: () => statProbe(path),
    parse: (stdout) => parseStat(`directory:${path}`, stdout),
    plan(current): Change[] {
      if (absent) return current.kind === "absent" ? [] : [{ summary: `remove ${current.kind}` }];
      if (current.kind === "absent") return [{ summary: "create" }];
      if (current.kind !== "directory") return [{ summary: `${current.kind} is in the way` }];
      return ownershipChanges(current, ownership);
    },
    apply(current): string {
      if (absent) return sh`rm -rf ${path}`;
      if (current.kind !== "directory" && current.kind !== "absent") {
        return sh`echo ${`${path} is a ${current.kind}, not a directory: remove it first`} >&2; exit 1`;
      }
      return [sh`mkdir -p ${path}`, ...ownershipCommands(sh`${path}`, ownership)].join("\n");
    },
  };
}
