// Where a run comes from, for its history record: the repository's commit (read from .git's files, no git process),
// the user and the controller machine.
import { readFileSync, statSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { isAbsolute, join } from "node:path";

export interface RunOrigin {
  commit?: string;
  user: string;
  controller: string;
}

const read = (file: string) =>
  statSync(file, { throwIfNoEntry: false })?.isFile() ? readFileSync(file, "utf8").trim() : undefined;

/** The git directory of a checkout (`.git` itself, or where a worktree's `.git` file points), and its common one. */
function gitDirs(repoRoot: string): { own: string; common: string } | undefined {
  const dotGit = join(repoRoot, ".git");
  const pointer = read(dotGit)?.match(/^gitdir: (.+)$/m)?.[1];
  const own = pointer ? (isAbsolute(pointer) ? pointer : join(repoRoot, pointer)) : dotGit;
  const common = read(join(own, "commondir"));
  return { own, common: common ? (isAbsolute(common) ? common : join(own, common)) : own };
}

/** `text` when it is a git object id (SHA-1 or SHA-256, lowercase hex), else undefined: nothing else is recorded. */
const objectId = (text: string | undefined) =>
  text && /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(text) ? text : undefined;

/** The commit HEAD names, from HEAD, the ref's file or packed-refs; undefined when it cannot be read. */
export function headCommit(repoRoot: string): string | undefined {
  try {
    const dirs = gitDirs(repoRoot);
    const head = dirs && read(join(dirs.own, "HEAD"));
    if (!dirs || !head) return undefined;
    const ref = head.match(/^ref: (.+)$/)?.[1];
    if (!ref) return objectId(head);
    const loose = read(join(dirs.own, ref)) ?? read(join(dirs.common, ref));
    if (loose) return objectId(loose);
    const packed = read(join(dirs.common, "packed-refs"));
    return objectId(
      packed
        ?.split("\n")
        .find((line) => line.endsWith(` ${ref}`))
        ?.split(" ")[0],
    );
  } catch {
    return undefined; // an unreadable checkout: the record goes without its commit
  }
}

/** The run's origin: commit, the user who ran it (the one behind sudo, when it ran under sudo) and this machine. */
export function runOrigin(repoRoot: string): RunOrigin {
  const commit = headCommit(repoRoot);
  return {
    ...(commit ? { commit } : {}),
    user: process.env.SUDO_USER || userInfo().username,
    controller: hostname(),
  };
}
