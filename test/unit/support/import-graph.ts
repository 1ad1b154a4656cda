// The repository's import graph as esbuild resolves it (dynamic and type-only imports included), and its cycles by file or by folder.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { build, type Plugin } from "esbuild";

export const REPO_ROOT = join(import.meta.dirname, "../../..");

export interface Edge {
  from: string;
  to: string;
}

/** Every TypeScript file of a directory tree of the repository, as an absolute path (an esbuild entry point). */
export function sourcesUnder(dir: string): string[] {
  return readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => join(REPO_ROOT, dir, file));
}

/** esbuild drops `import type` and `export type ... from`: rewritten as side-effect imports, which it keeps, they are edges too. */
const typeImportsKept: Plugin = {
  name: "type-imports-kept",
  setup(builder) {
    builder.onLoad({ filter: /\.ts$/ }, (args) => ({
      loader: "ts",
      contents: readFileSync(args.path, "utf8").replace(
        /\b(?:import|export)\s+type\s+(?:\{[^}]*\}|\*\s*as\s+\w+|\w+)\s*from\s*("[^"]+"|'[^']+')/g,
        "import $1",
      ),
    }));
  },
};

/** Each import edge among the repository's files reachable from the entry points, as repo-relative paths. */
export async function importEdges(entryPoints: string[]): Promise<Edge[]> {
  // verbatimModuleSyntax keeps an import whose names are all `type` ones (`import { type A } from`) as a side-effect import.
  const { metafile } = await build({
    entryPoints,
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    packages: "external",
    outdir: "/nonexistent",
    logLevel: "silent",
    tsconfigRaw: { compilerOptions: { verbatimModuleSyntax: true } },
    plugins: [typeImportsKept],
  });
  return Object.entries(metafile.inputs).flatMap(([from, input]) =>
    input.imports
      .filter((edge) => !edge.external)
      .map((edge) => ({
        from: relative(REPO_ROOT, join(process.cwd(), from)),
        to: relative(REPO_ROOT, join(process.cwd(), edge.path)),
      })),
  );
}

/** One path of each import cycle among the edges (depth-first search), its first node repeated at the end. */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const found: string[][] = [];
  const done = new Set<string>();
  const visit = (node: string, path: string[]) => {
    if (path.includes(node)) return void found.push([...path.slice(path.indexOf(node)), node]);
    if (done.has(node)) return;
    for (const to of next.get(node) ?? []) visit(to, [...path, node]);
    done.add(node);
  };
  for (const node of next.keys()) visit(node, []);
  return found;
}

/** The folder a file counts in: its directory ("lib/" for lib's own files, "lib/facts/"), or itself at the top (hosts.ts). */
export function folderOf(file: string): string {
  const dir = dirname(file);
  return dir === "." ? file : `${dir}/`;
}

/** The file imports from one folder into another, keyed by the two folders. */
export function edgesBetweenFolders(edges: Edge[]): Map<string, Map<string, Edge[]>> {
  const between = new Map<string, Map<string, Edge[]>>();
  for (const edge of edges) {
    const [from, to] = [folderOf(edge.from), folderOf(edge.to)];
    if (from === to) continue;
    const targets = between.get(from) ?? between.set(from, new Map()).get(from)!;
    targets.set(to, [...(targets.get(to) ?? []), edge]);
  }
  return between;
}

/** Each cycle among the folders of the edges' files: the folders, then one line per hop with the file imports that make it. */
export function folderCycles(edges: Edge[]): string[] {
  const between = edgesBetweenFolders(edges);
  const folderEdges = [...between].flatMap(([from, targets]) => [...targets.keys()].map((to) => ({ from, to })));
  return cycles(folderEdges).map((cycle) =>
    [
      cycle.join(" → "),
      ...cycle.slice(1).map(
        (to, hop) =>
          `  ${cycle[hop]} → ${to}: ${between
            .get(cycle[hop]!)!
            .get(to)!
            .map((edge) => `${edge.from} → ${edge.to}`)
            .join(", ")}`,
      ),
    ].join("\n"),
  );
}
