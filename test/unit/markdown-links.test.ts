// Every markdown file's links lead somewhere: a file of the repo, a heading of a markdown file, a well-formed URL (issue 35).
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tool } from "../../lab/requirements.ts";
import { headingAnchors, linkProblems, links, markdownFiles } from "./support/markdown-links.ts";
import { scratchDir } from "./support/scratch.ts";

const REPO = join(import.meta.dirname, "../..");

/** A scratch directory holding the files (path → content), and the problems the checker finds in its markdown files. */
function problemsIn(files: Record<string, string>): string[] {
  const root = scratchDir("foobar-markdown-links-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return linkProblems(
    root,
    Object.keys(files).filter((path) => path.endsWith(".md")),
  );
}

test("a link to a missing file is reported with its file and line", () => {
  assert.equal(problemsIn({ "docs/a.md": "# A\n\nSee [b](b.md) and [a](a.md).\n\n[gone](../gone.md)\n" }), [
    'docs/a.md:3: link "b.md": no such file',
    'docs/a.md:5: link "../gone.md": no such file',
  ]);
});

test("a link to a missing heading is reported, in another file and in the same one", () => {
  assert.equal(problemsIn({ "a.md": "# A\n\n[b](docs/b.md#nowhere) [here](#nor-here)\n", "docs/b.md": "# B\n" }), [
    'a.md:3: link "docs/b.md#nowhere": no heading #nowhere in docs/b.md',
    'a.md:3: link "#nor-here": no heading #nor-here in a.md',
  ]);
});

test("headings and anchors that exist pass: another file's, the same file's, an <a id>, a source line", () => {
  const files = {
    "README.md":
      '# Top\n\n## Use it\n\n[it](#use-it) [b](docs/b.md#the-b-part) [x](<docs/b.md#x> "title") [t](t.ts#L2)\n',
    "docs/b.md": '# B\n\n## The *B* part\n\n<a id="x"></a>\n\n![self](../README.md#top)\n',
    "t.ts": "export {};\n",
  };
  assert.equal(problemsIn(files), []);
});

test("links inside fenced code blocks and code spans are not links", () => {
  const markdown = [
    "```sh",
    "[a](missing-1.md)",
    "```",
    "~~~ts title=x",
    "[a](missing-2.md)",
    "```",
    "~~~",
    "Type `[a](missing-3.md)` or ``[b](missing-4.md) ` `` but [c](missing-5.md).",
  ].join("\n");
  assert.equal(links(markdown), [{ line: 8, target: "missing-5.md" }]);
});

test("reference definitions, images and HTML href/src are links; URLs must parse; mailto passes", () => {
  const markdown = '[r]: <ref.md>\n![i](img.png "title")\n<a href="page.md">p</a> <img src=\'pic.svg\'>\n';
  assert.equal(
    links(markdown).map((link) => link.target),
    ["ref.md", "img.png", "page.md", "pic.svg"],
  );
  assert.equal(problemsIn({ "a.md": "[ok](https://example.org/x) [bad](http://[oops]) [m](mailto:a@b.c)\n" }), [
    'a.md:1: link "http://[oops]": not a valid URL',
  ]);
});

test("anchors follow GitHub's slugs: markup stripped, punctuation dropped, hyphens kept, a repeat numbered", () => {
  const markdown = [
    "## Persistent connections (`--persist`, opt-in)",
    "### One converge per host at a time",
    "## Notes",
    "## Notes",
    "## Notes ##",
    "## __init__ and `_raw_` in [the doc](x.md): Café ü",
    "Setext title",
    "============",
    "```",
    "# not a heading",
    "```",
  ].join("\n");
  assert.equal(
    [...headingAnchors(markdown)],
    [
      "persistent-connections---persist-opt-in",
      "one-converge-per-host-at-a-time",
      "notes",
      "notes-1",
      "notes-2",
      "init-and-_raw_-in-the-doc-café-ü",
      "setext-title",
    ],
  );
});

test("the repo's markdown files: tracked and untracked, not the ones git ignores", () => {
  const root = scratchDir("foobar-markdown-files-");
  for (const path of ["a.md", "docs/b.md", "node_modules/c.md", "d.ts"]) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), "");
  }
  writeFileSync(join(root, ".gitignore"), "node_modules/\n");
  execFileSync(tool("git"), ["init", "--quiet"], { cwd: root });
  assert.equal(markdownFiles(root).sort(), ["a.md", "docs/b.md"]);
});

test("every markdown file's links resolve", () => {
  const problems = linkProblems(REPO, markdownFiles(REPO));
  assert.ok(problems.length === 0, `${problems.length} broken link(s):\n${problems.join("\n")}`);
});

test.run();
