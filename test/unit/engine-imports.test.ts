// lib/ is the engine alone: its import graph (resolved by esbuild, dynamic imports included) never reaches the site.
import { readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { buildSync } from "esbuild";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO_ROOT = join(import.meta.dirname, "../..");
const LIB = join(REPO_ROOT, "lib");

/** Every TypeScript file of a directory tree. */
function sourcesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((file) => file.endsWith(".ts")).map((file) => join(dir, file));
}

/** Each import edge among the repository's files reachable from the given entry points, as repo-relative paths. */
function importEdges(entryPoints: string[]): Array<{ from: string; to: string }> {
  const { metafile } = buildSync({ entryPoints, bundle: true, write: false, metafile: true, platform: "node", format: "esm", packages: "external", outdir: "/nonexistent", logLevel: "silent" });
  return Object.entries(metafile.inputs).flatMap(([from, input]) =>
    input.imports.filter((edge) => !edge.external).map((edge) => ({ from: relative(REPO_ROOT, join(process.cwd(), from)), to: relative(REPO_ROOT, join(process.cwd(), edge.path)) })),
  );
}

/** Edges that leave lib/ for a file of the site (hosts.ts, roles/, playbooks/, app/, lab/, ...). */
function edgesOutOfEngine(edges: Array<{ from: string; to: string }>) {
  return edges.filter((edge) => edge.from.startsWith("lib/") && !edge.to.startsWith("lib/"));
}

test("no file of lib/ imports anything outside lib/", () => {
  const edges = importEdges(sourcesUnder(LIB));
  assert.ok(edges.length > 100, `the graph was read (${edges.length} edges)`);
  const leaving = edgesOutOfEngine(edges);
  assert.equal(leaving.map((edge) => `${edge.from} → ${edge.to}`), [], "lib/ must not depend on the site");
});

/** One file of each import cycle among the edges (depth-first search), with the cycle's path. */
function cycles(edges: Array<{ from: string; to: string }>): string[] {
  const next = new Map<string, string[]>();
  for (const edge of edges) next.set(edge.from, [...(next.get(edge.from) ?? []), edge.to]);
  const found: string[] = [];
  const done = new Set<string>();
  const visit = (file: string, path: string[]) => {
    if (path.includes(file)) return void found.push([...path.slice(path.indexOf(file)), file].join(" → "));
    if (done.has(file)) return;
    for (const to of next.get(file) ?? []) visit(to, [...path, file]);
    done.add(file);
  };
  for (const file of next.keys()) visit(file, []);
  return found;
}

test("no import cycles in the engine, the roles or the playbooks", () => {
  const edges = importEdges([...sourcesUnder(LIB), ...sourcesUnder(join(REPO_ROOT, "roles")), ...sourcesUnder(join(REPO_ROOT, "playbooks"))]);
  assert.equal(cycles(edges), []);
  assert.equal(cycles([{ from: "a.ts", to: "b.ts" }, { from: "b.ts", to: "a.ts" }]), ["a.ts → b.ts → a.ts"], "the search sees a cycle");
});

test("the check sees an import from lib/ to the site", () => {
  const edges = [{ from: "lib/runner/run.ts", to: "hosts.ts" }, { from: "lab/topology.ts", to: "lib/inventory/load.ts" }];
  assert.equal(edgesOutOfEngine(edges), [{ from: "lib/runner/run.ts", to: "hosts.ts" }]);
});

test.run();
