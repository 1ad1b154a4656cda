// Builds the release in app/dist: server.js (one deterministic esbuild bundle for the hosts' Node 18) and public/. `npm run build:app`.
import { cpSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

const APP_DIR = import.meta.dirname;
const REPO_ROOT = join(APP_DIR, "..");

export interface BuiltApp {
  outDir: string;
  serverBytes: number;
  publicFiles: string[];
}

/**
 * Clean `outDir`, bundle app/src/main.ts (mysql2 included) into `outDir`/server.js and copy app/public/.
 * Paths in the bundle are relative to the repository, never absolute, so equal sources give equal bytes.
 */
export async function buildApp(outDir = join(APP_DIR, "dist")): Promise<BuiltApp> {
  rmSync(outDir, { recursive: true, force: true });
  const serverFile = join(outDir, "server.js");
  await build({
    absWorkingDir: REPO_ROOT,
    entryPoints: [join(APP_DIR, "src", "main.ts")],
    outfile: serverFile,
    bundle: true,
    platform: "node",
    target: "node18",
    format: "cjs",
    sourcemap: false,
    legalComments: "eof",
    charset: "utf8",
    banner: { js: "// www.foobar.com application server, bundled by app/build.ts (do not edit)." },
    logLevel: "warning",
  });
  // server.js is CommonJS; without this, a "type": "module" package.json above it (as in this repo) would make node load it as ESM.
  writeFileSync(join(outDir, "package.json"), `${JSON.stringify({ private: true, type: "commonjs" })}\n`);
  cpSync(join(APP_DIR, "public"), join(outDir, "public"), { recursive: true });
  return { outDir, serverBytes: statSync(serverFile).size, publicFiles: readdirSync(join(outDir, "public")).sort() };
}

function isEntryPoint(): boolean {
  return process.argv[1] !== undefined && pathToFileURL(resolve(process.argv[1])).href === import.meta.url;
}

// No top-level await: the unit tests load this module as CommonJS.
if (isEntryPoint()) {
  buildApp().then(
    (built) => {
      const where = relative(process.cwd(), built.outDir) || ".";
      console.log(`${where}/server.js: ${(built.serverBytes / 1024).toFixed(1)} KiB; public/: ${built.publicFiles.join(", ")}`);
    },
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exitCode = 1;
    },
  );
}
