// Resource: a regular file with exact content (or absent), owner, group and mode.
import { createHash } from "node:crypto";
import { createRequire } from "node:module";
import { normalMode, parseStat, statProbe, type PathStat } from "../facts/file-stat.ts";
import { sh } from "../shell.ts";
import { atomicWriteScript, type Validator } from "./atomic-write.ts";
import { ownershipChanges, ownershipCommands, type Ownership } from "./ownership.ts";
import { commonFields, type Change, type CommonOptions, type ProbeContext, type Resource } from "./resource.ts";

export interface FileOptions extends CommonOptions {
  /** "present" (default) writes content; "absent" removes the file. */
  state?: "present" | "absent";
  owner?: string;
  group?: string;
  mode?: string | number;
  validate?: Validator;
  /** Never show this file's content in a diff (set automatically when a secret went into it). */
  sensitive?: boolean;
}

/** Hashes of Buffer contents (a release's files: read once, shared by every host and run of a process, never changed). */
const bufferHashes = new WeakMap<Buffer, string>();

function sha256(content: string | Buffer): string {
  if (typeof content !== "string" && bufferHashes.has(content)) return bufferHashes.get(content)!;
  const hash = createHash("sha256").update(content).digest("hex");
  if (typeof content !== "string") bufferHashes.set(content, hash);
  return hash;
}

/** Unified diff for --diff, or a note when the content cannot or must not be shown. */
const requireCjs = createRequire(import.meta.url);
/** The diff package, loaded by the first --diff: a run without it never starts its modules. */
let diffPackage: typeof import("diff") | undefined;
const diffLibrary = () => (diffPackage ??= requireCjs("diff") as typeof import("diff"));

export function contentDiff(path: string, before: string | undefined, after: string, sensitive: boolean): string {
  if (sensitive) return "(content hidden: sensitive)";
  if (before === undefined) return "(current content too large to show)";
  return diffLibrary().createTwoFilesPatch(`${path} (host)`, `${path} (wanted)`, before, after, undefined, undefined, {
    context: 3,
  });
}

export function file(path: string, content: string | Buffer | null, options: FileOptions = {}): Resource<PathStat> {
  if (!path.startsWith("/")) throw new Error(`file path must be absolute: "${path}"`);
  const state = options.state ?? "present";
  const ownership: Ownership = {
    owner: options.owner,
    group: options.group,
    mode: options.mode === undefined ? undefined : normalMode(options.mode),
  };
  const wantedHash = content === null ? null : sha256(content);
  const sensitive = options.sensitive ?? false;
  return {
    id: `file:${path}`,
    ...commonFields(options),
    probe: (context: ProbeContext) => statProbe(path, context.diff && !sensitive && content !== null, !sensitive),
    parse: (stdout) => parseStat(`file:${path}`, stdout),
    plan(current, context): Change[] {
      if (state === "absent") return current.kind === "absent" ? [] : [{ summary: `remove ${current.kind}` }];
      if (current.kind === "absent") {
        const change: Change = { summary: "create" };
        if (context.diff && content !== null) change.diff = contentDiff(path, "", content.toString(), sensitive);
        return [change];
      }
      if (current.kind !== "file") return [{ summary: `replace ${current.kind} with a file` }];
      const changes: Change[] = [];
      if (wantedHash !== null && current.sha256 !== wantedHash) {
        const change: Change = { summary: "content" };
        if (context.diff) change.diff = contentDiff(path, current.content, content!.toString(), sensitive);
        changes.push(change);
      }
      return [...changes, ...ownershipChanges(current, ownership)];
    },
    apply(current): string {
      if (state === "absent") return sh`rm -rf ${path}`;
      if (current.kind === "file" && (wantedHash === null || current.sha256 === wantedHash)) {
        return ownershipCommands(sh`${path}`, ownership).join("\n");
      }
      if (content === null) return sh`touch ${path}\n` + ownershipCommands(sh`${path}`, ownership).join("\n");
      if (current.kind === "directory" || current.kind === "other") {
        return sh`echo ${`${path} is a ${current.kind}, not a file: remove it first`} >&2; exit 1`;
      }
      return atomicWriteScript(path, content, ownership, options.validate);
    },
  };
}
