// A controller-side file replaced whole: written beside it and renamed over it, so a reader sees the old file or the new one, never part of one.
import { renameSync, writeFileSync } from "node:fs";

/** Write `content` to `path` through a file of this process beside it, then rename it over `path`. */
export function replaceFile(path: string, content: string, options: { mode?: number } = {}): void {
  const staged = `${path}.${process.pid}.tmp`;
  writeFileSync(staged, content, options);
  renameSync(staged, path);
}
