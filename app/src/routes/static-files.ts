// GET /static/<name>: the release's public/ files, loaded once at startup; nginx serves these itself in production.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { extname, join } from "node:path";
import type { AppContext, StaticFile } from "../app-context.ts";
import { HttpError } from "../http/reply.ts";
import type { Handler } from "../http/router.ts";

const CONTENT_TYPES: Record<string, string> = {
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".svg": "image/svg+xml",
  ".ico": "image/x-icon",
  ".png": "image/png",
};

/** Files directly in `dir` by name; an absent directory gives none. Only names listed here can ever be served. */
export function loadStaticFiles(dir: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(dir)) return files;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (entry.isFile() && contentType)
      files.set(entry.name, { contentType, body: readFileSync(join(dir, entry.name)) });
  }
  return files;
}

export function staticFile(app: AppContext): Handler {
  return async (_request, [name = ""]) => {
    const file = app.staticFiles.get(name);
    if (!file) throw new HttpError(404, "not found");
    return { status: 200, contentType: file.contentType, body: file.body, headers: { "Cache-Control": "no-cache" } };
  };
}
