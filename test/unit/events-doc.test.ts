// docs/events.md documents every event type --json can print, and no type that is gone.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const ROOT = join(import.meta.dirname, "../..");
const read = (path: string) => readFileSync(join(ROOT, path), "utf8");

test("every event type of lib/report/events.ts has its section in docs/events.md, and every section a type", () => {
  const union = read("lib/report/events.ts").slice(read("lib/report/events.ts").indexOf("export type RunEvent"));
  const types = [...union.slice(0, union.indexOf(";\n\n")).matchAll(/type: "([a-z-]+)"/g)].map((match) => match[1]);
  const documented = [...read("docs/events.md").matchAll(/^### `([a-z-]+)`$/gm)].map((match) => match[1]);
  assert.ok(types.length >= 8, `the union was read: ${types.join(", ")}`);
  assert.equal(documented, types, "docs/events.md's sections, in the union's order");
});

test("every narrative kind the operational commands print is documented", () => {
  const doc = read("docs/events.md");
  for (const file of ["playbooks/deploy.ts", "playbooks/failover.ts", "lib/cli/secrets-command.ts"])
    for (const [, kind] of read(file).matchAll(/sayer\(cli, "([a-z]+)"\)/g))
      assert.ok(doc.includes(`"${kind}"`), `${file}: narrative kind "${kind}" is not in docs/events.md`);
});

test.run();
