// Builds the release in app/dist: server.js (one deterministic esbuild bundle for the hosts' Node 18) and public/. `npm run build:app`.
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build, buildSync, type BuildOptions } from "esbuild";

const APP_DIR = import.meta.dirname;
const REPO_ROOT = join(APP_DIR, "..");

export interface BuiltApp {
  outDir: string;
  serverBytes: number;
  publicFiles: string[];
}

/** Where a release is built from: a release is stale when one of these is newer than its server.js. */
const SOURCES = [
  join(APP_DIR, "src"),
  join(APP_DIR, "public"),
  join(APP_DIR, "build.ts"),
  join(REPO_ROOT, "package-lock.json"),
];
export const DEFAULT_OUT_DIR = join(APP_DIR, "dist");

/** The esbuild options of the bundle: paths relative to the repository, never absolute, so equal sources give equal bytes. */
function bundleOptions(outDir: string): BuildOptions {
  return {
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(APP_DIR, "src", "main.ts")],
    outfile: join(outDir, "server.js"),
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    banner: { js: "// www.foobar.com application server, bundled by app/build.ts (do not edit)." },
    logLevel: "warning",
  };
}

/** Everything but the bundle: a package.json that keeps server.js CommonJS (this repo is "type": "module"), and public/. */
function finishRelease(outDir: string): BuiltApp {
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ private: true, type: "commonjs" })}\n`);
  cpSync(join(APP_DIR, "public"), join(outDir, "public"), { recursive: true });
  return {
    outDir,
    serverBytes: statSync(join(outDir, "server.js")).size,
    publicFiles: readdirSync(join(outDir, "public")).sort(),
  };
}

/** Clean `outDir`, bundle app/src/main.ts (mysql2 included) into `outDir`/server.js and copy app/public/. */
export async function buildApp(outDir = DEFAULT_OUT_DIR): Promise<BuiltApp> {
  rmSync(outDir, { recursive: true, force: true });
  await build(bundleOptions(outDir));
  return finishRelease(outDir);
}

/** Newest modification time (ms) of a file or of any file below a directory. */
function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Build the release in `outDir` (synchronously, about 0.2 s) when it is missing or older than the app's sources; true when it built. */
export function ensureAppBuilt(outDir = DEFAULT_OUT_DIR): boolean {
  const built = statSync(join(outDir, "server.js"), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  if (built > Math.max(...SOURCES.map(newestMtime))) return false;
  rmSync(outDir, { recursive: true, force: true });
  buildSync(bundleOptions(outDir));
  finishRelease(outDir);
  return true;
}

function isEntryPoint(): boolean {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
}

// No top-level await: the unit tests load this module as CommonJS.
if (isEntryPoint()) {
  buildApp().then(
    (built) => {
      const where = relative(process.cwd(), built.outDir) || ".";
      console.log(
        `${where}/server.js: ${(built.serverBytes / 1024).toFixed(1)} KiB; public/: ${built.publicFiles.join(", ")}`,
      );
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
