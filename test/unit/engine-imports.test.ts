// lib/ is the engine alone and in layers: its imports never reach the site, its files and folders form no cycle, nothing
// in it uses its test doubles; and the inventory (hosts.ts) and the lab (lab/) do not import each other both ways.
import { writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { cycles, folderCycles, importEdges, REPO_ROOT, sourcesUnder, type Edge } from "./support/import-graph.ts";
import { scratchDir } from "./support/scratch.ts";

let engine: Promise<Edge[]> | undefined;
/** lib/'s import edges, read once for the tests that need them. */
const engineEdges = () => (engine ??= importEdges(sourcesUnder("lib")));
const inLib = (edge: Edge) => edge.from.startsWith("lib/") && edge.to.startsWith("lib/");

/** Edges that leave lib/ for a file of the site (hosts.ts, roles/, playbooks/, app/, lab/, ...). */
function edgesOutOfEngine(edges: Edge[]) {
  return edges.filter((edge) => edge.from.startsWith("lib/") && !edge.to.startsWith("lib/"));
}

test("no file of lib/ imports anything outside lib/", async () => {
  const edges = await engineEdges();
  assert.ok(edges.length > 100, `the graph was read (${edges.length} edges)`);
  const leaving = edgesOutOfEngine(edges);
  assert.equal(
    leaving.map((edge) => `${edge.from} → ${edge.to}`),
    [],
    "lib/ must not depend on the site",
  );
});

test("no import cycles in the engine, the roles or the playbooks", async () => {
  const edges = await importEdges([...sourcesUnder("lib"), ...sourcesUnder("roles"), ...sourcesUnder("playbooks")]);
  assert.equal(
    cycles(edges).map((cycle) => cycle.join(" → ")),
    [],
  );
  assert.equal(
    cycles([
      { from: "a.ts", to: "b.ts" },
      { from: "b.ts", to: "a.ts" },
    ]),
    [["a.ts", "b.ts", "a.ts"]],
    "the search sees a cycle",
  );
});

test("the check sees an import from lib/ to the site", () => {
  const edges = [
    { from: "lib/runner/run.ts", to: "hosts.ts" },
    { from: "lab/topology.ts", to: "lib/inventory/load.ts" },
  ];
  assert.equal(edgesOutOfEngine(edges), [{ from: "lib/runner/run.ts", to: "hosts.ts" }]);
});

test("the graph holds type-only imports", async () => {
  const dir = scratchDir("import-graph-");
  const files = {
    "a.ts": 'import type { B } from "./b.ts";\nimport { type C } from "./c.ts";\nexport type { D } from "./d.ts";\n',
    "b.ts": "export type B = 1;\n",
    "c.ts": "export type C = 1;\n",
    "d.ts": "export type D = 1;\n",
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const edges = await importEdges([join(dir, "a.ts")]);
  assert.equal(edges.map((edge) => `${basename(edge.from)} → ${basename(edge.to)}`).sort(), [
    "a.ts → b.ts",
    "a.ts → c.ts",
    "a.ts → d.ts",
  ]);
});

test("lib/'s folders form no cycle (lib/ itself holds the bottom layer's files)", async () => {
  const found = folderCycles((await engineEdges()).filter(inLib));
  assert.ok(found.length === 0, `folders of lib/ that import each other round a cycle:\n${found.join("\n")}`);
});

test("the folder check sees a cycle and names the imports that make it", () => {
  const edges = [
    { from: "lib/a/x.ts", to: "lib/b/y.ts" },
    { from: "lib/b/y.ts", to: "lib/b/z.ts" },
    { from: "lib/b/z.ts", to: "lib/x.ts" },
    { from: "lib/x.ts", to: "lib/a/w.ts" },
  ];
  assert.equal(folderCycles(edges), [
    "lib/a/ → lib/b/ → lib/ → lib/a/\n  lib/a/ → lib/b/: lib/a/x.ts → lib/b/y.ts\n  lib/b/ → lib/: lib/b/z.ts → lib/x.ts\n  lib/ → lib/a/: lib/x.ts → lib/a/w.ts",
  ]);
  const topLevel = [
    { from: "hosts.ts", to: "lab/environment/instance.ts" },
    { from: "lab/topology.ts", to: "hosts.ts" },
    { from: "hosts.ts", to: "lab/gateway.ts" },
  ];
  assert.equal(
    folderCycles(topLevel),
    [
      "hosts.ts → lab/ → hosts.ts\n  hosts.ts → lab/: hosts.ts → lab/gateway.ts\n  lab/ → hosts.ts: lab/topology.ts → hosts.ts",
    ],
    "a file at the top counts as its own folder",
  );
});

test("nothing in lib/ but lib/testing/ imports lib/testing/", async () => {
  const uses = (await engineEdges()).filter(
    (edge) => edge.to.startsWith("lib/testing/") && !edge.from.startsWith("lib/testing/"),
  );
  assert.equal(
    uses.map((edge) => `${edge.from} → ${edge.to}`),
    [],
    "lib/testing/ holds test doubles: tests import them, the engine does not",
  );
});

test("hosts.ts and lab/ do not import each other both ways: the inventory takes only lab/environment/'s constants", async () => {
  const edges = await importEdges([join(REPO_ROOT, "hosts.ts"), ...sourcesUnder("lab")]);
  const found = folderCycles(edges.filter((edge) => !edge.from.startsWith("lib/") && !edge.to.startsWith("lib/")));
  assert.ok(found.length === 0, `hosts.ts and lab/ import each other round a cycle:\n${found.join("\n")}`);
});

test.run();
