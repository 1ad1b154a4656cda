// Resource: a symbolic link pointing at a target, switched atomically (rename over the old link).
import { parseStat, statProbe, type PathStat } from "../facts/file-stat.ts";
import { sh } from "../shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export function symlink(path: string, target: string, options: CommonOptions = {}): Resource<PathStat> {
  if (!path.startsWith("/")) throw new Error(`symlink path must be absolute: "${path}"`);
  return {
    id: `symlink:${path}`,
    ...commonFields(options),
    probe: () => statProbe(path),
    parse: (stdout) => parseStat(`symlink:${path}`, stdout),
    plan(current): Change[] {
      if (current.kind === "link")
        return current.target === target ? [] : [{ summary: `${current.target} -> ${target}` }];
      if (current.kind === "absent") return [{ summary: `create -> ${target}` }];
      return [{ summary: `${current.kind} is in the way` }];
    },
    apply(current): string {
      if (current.kind !== "link" && current.kind !== "absent") {
        return sh`echo ${`${path} is a ${current.kind}, not a symlink: remove it first`} >&2; exit 1`;
      }
      const temp = `${path}.foobar-new`;
      return sh`ln -sfn ${target} ${temp} && mv -Tf ${temp} ${path}`;
    },
  };
}
