// The built release on the controller: its files (read once) and a content-derived version name.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { DEFAULT_OUT_DIR, ensureAppBuilt } from "../../app/build.ts";

export interface Release {
  /** "r-" + 12 hex digits of the sha256 over every file's path and content. */
  version: string;
  /** Relative path (posix) -> content, sorted by path. */
  files: Map<string, Buffer>;
  /** Relative directories, parents first. */
  directories: string[];
}

const cache = new Map<string, Release>();

function walk(dir: string, found: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/**
 * Read the release built into `dir`. The repository's own app/dist is built first when it is missing or older than
 * app/'s sources (esbuild, about a second); any other directory is taken as given (deploy.ts --build DIR).
 */
export function readRelease(dir: string, repoRoot: string): Release {
  const root = resolve(repoRoot, dir);
  const cached = cache.get(root);
  if (cached) return cached;
  if (root === DEFAULT_OUT_DIR && ensureAppBuilt())
    console.error(`app: built ${dir} from app/ (it was missing or older than the sources)`);
  if (!statSync(root, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`no built release in ${dir} (var build_dir): run \`npm run build:app\` first`);
  }
  const hash = createHash("sha256");
  const files = new Map<string, Buffer>();
  const directories = new Set<string>();
  for (const path of walk(root).sort()) {
    const name = relative(root, path).split("\\").join("/");
    const content = readFileSync(path);
    files.set(name, content);
    hash.update(`${name}\0${content.length}\0`).update(content);
    const parts = name.split("/").slice(0, -1);
    parts.forEach((_, index) => directories.add(parts.slice(0, index + 1).join("/")));
  }
  const release = { version: `r-${hash.digest("hex").slice(0, 12)}`, files, directories: [...directories].sort() };
  cache.set(root, release);
  return release;
}
