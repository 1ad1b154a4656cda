// Resource: one line in a text file, matched by a regexp or exactly (Ansible's lineinfile).
import { parseStat, statProbe, type PathStat } from "../facts/file-stat.ts";
import { sh } from "../shell.ts";
import { atomicWriteScript } from "./atomic-write.ts";
import { contentDiff } from "./file.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface LineOptions extends CommonOptions {
  /** Lines matching this are replaced by `line` (the last match) or removed (state absent). */
  regexp?: RegExp;
  state?: "present" | "absent";
  /** Create the file when it does not exist (default true). */
  create?: boolean;
  validate?: string;
}

/** The file content after putting `line` in place (pure; exported for tests). */
export function editLines(content: string, line: string, options: LineOptions): string {
  const lines = content === "" ? [] : content.replace(/\n$/, "").split("\n");
  const matches = (text: string) => (options.regexp ? options.regexp.test(text) : text === line);
  if (options.state === "absent") {
    const kept = lines.filter((text) => !matches(text));
    return kept.length === 0 ? "" : `${kept.join("\n")}\n`;
  }
  const last = lines
    .map((text, index) => (matches(text) ? index : -1))
    .filter((index) => index >= 0)
    .pop();
  if (last === undefined) lines.push(line);
  else lines[last] = line;
  return `${lines.join("\n")}\n`;
}

export function line(path: string, text: string, options: LineOptions = {}): Resource<PathStat> {
  if (text.includes("\n")) throw new Error(`line for ${path} must not contain a newline`);
  const id = `line:${path}:${options.regexp?.source ?? text}`;
  const wanted = (current: PathStat) =>
    editLines(current.kind === "file" ? (current.content ?? "") : "", text, options);
  return {
    id,
    ...commonFields(options),
    probe: () => ({ ...statProbe(path, true), dependsOn: [path] }),
    parse: (stdout) => parseStat(id, stdout),
    plan(current, context): Change[] {
      if (current.kind === "absent") {
        if (options.state === "absent") return [];
        return [{ summary: options.create === false ? "file missing" : `create with ${JSON.stringify(text)}` }];
      }
      if (current.kind !== "file") return [{ summary: `${current.kind} is in the way` }];
      if (current.content === undefined) return [{ summary: "file too large to edit by line" }];
      const after = wanted(current);
      if (after === current.content) return [];
      const change: Change = {
        summary: options.state === "absent" ? "remove line" : `set line ${JSON.stringify(text)}`,
      };
      if (context.diff) change.diff = contentDiff(path, current.content, after, false);
      return [change];
    },
    apply(current): string {
      const refuse = (why: string) => sh`echo ${`${path}: ${why}`} >&2; exit 1`;
      if (current.kind === "absent" && options.create === false) return refuse("file does not exist");
      if (current.kind !== "file" && current.kind !== "absent") return refuse(`is a ${current.kind}`);
      if (current.kind === "file" && current.content === undefined) return refuse("too large to edit by line");
      return atomicWriteScript(path, wanted(current), {}, options.validate);
    },
  };
}
