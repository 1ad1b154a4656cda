// docs/architecture.md's "layers as built" stays true: it lists every folder of lib/ once, bottom first, and each folder
// imports only folders listed before it.
import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  edgesBetweenFolders,
  folderOf,
  importEdges,
  REPO_ROOT,
  sourcesUnder,
  type Edge,
} from "./support/import-graph.ts";

/** The folders the doc lists between its layer markers, bottom first. */
function documentedLayers(markdown: string): string[] {
  const list = /<!-- layers,[^>]*-->\n([\s\S]*?)<!-- \/layers -->/.exec(markdown)?.[1] ?? "";
  return [...list.matchAll(/^\d+\. `([^`]+)`/gm)].map((match) => match[1]!);
}

/** Each folder's imports of a folder not listed before it, with the file imports that make them. */
function importsNotBelow(layers: string[], edges: Edge[]): string[] {
  const layer = (folder: string) => (layers.includes(folder) ? `layer ${layers.indexOf(folder) + 1}` : "not listed");
  return [...edgesBetweenFolders(edges)].flatMap(([from, targets]) =>
    [...targets]
      .filter(([to]) => !layers.includes(from) || !layers.includes(to) || layers.indexOf(to) > layers.indexOf(from))
      .map(
        ([to, files]) =>
          `${from} (${layer(from)}) imports ${to} (${layer(to)}): ${files.map((edge) => `${edge.from} → ${edge.to}`).join(", ")}`,
      ),
  );
}

const layers = documentedLayers(readFileSync(join(REPO_ROOT, "docs/architecture.md"), "utf8"));

test("the doc lists every folder of lib/, each once", () => {
  const folders = [...new Set(sourcesUnder("lib").map((file) => folderOf(relative(REPO_ROOT, file))))].sort();
  assert.equal([...layers].sort(), folders);
});

test("each folder of lib/ imports only folders the doc lists before it", async () => {
  const edges = (await importEdges(sourcesUnder("lib"))).filter((edge) => edge.to.startsWith("lib/"));
  const wrong = importsNotBelow(layers, edges);
  assert.ok(wrong.length === 0, `imports that run up the layers of docs/architecture.md:\n${wrong.join("\n")}`);
});

test("the layer check sees an import of a folder listed later, or not at all", () => {
  const edges = [
    { from: "lib/x.ts", to: "lib/a/y.ts" },
    { from: "lib/a/y.ts", to: "lib/x.ts" },
    { from: "lib/a/y.ts", to: "lib/b/z.ts" },
  ];
  assert.equal(importsNotBelow(["lib/", "lib/a/"], edges), [
    "lib/ (layer 1) imports lib/a/ (layer 2): lib/x.ts → lib/a/y.ts",
    "lib/a/ (layer 2) imports lib/b/ (not listed): lib/a/y.ts → lib/b/z.ts",
  ]);
});

test.run();
