// Resource: a file rendered from an ejs template (strict variables; secrets make it sensitive).
import { renderTemplate } from "../template.ts";
import { file, type FileOptions } from "./file.ts";
import type { Resource } from "./resource.ts";
import type { PathStat } from "../facts/file-stat.ts";

/** Render `templateFile` with `data` now (errors surface before any host is touched) and manage `path`. */
export function template(
  path: string,
  templateFile: string,
  data: Record<string, unknown>,
  options: FileOptions = {},
): Resource<PathStat> {
  const rendered = renderTemplate(templateFile, data);
  const resource = file(path, rendered.content, { ...options, sensitive: options.sensitive || rendered.sensitive });
  return { ...resource, id: `template:${path}` };
}
