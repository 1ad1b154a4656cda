// A run's origin from git's files in scratch checkouts (no git process): HEAD's branch from its loose ref or
// packed-refs, a detached HEAD, a worktree's .git file and commondir, and no commit where none can be read.
import { mkdirSync, writeFileSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { headCommit, runOrigin } from "../../lib/report/run-origin.ts";
import { scratchDir } from "./support/scratch.ts";

const A = "a".repeat(40);
const B = "b".repeat(40);
const C = "c".repeat(40);

/** A scratch directory with these files (path relative to it → text). */
function tree(files: Record<string, string>): string {
  const root = scratchDir("run-origin-");
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

test("a checkout's HEAD: the branch's loose ref, else its line of packed-refs (not a ref that only ends the same)", () => {
  assert.is(headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": `${A}\n` })), A);
  const packed = `# pack-refs with: peeled fully-peeled sorted\n${B} refs/remotes/xrefs/heads/main\n${C} refs/heads/main\n${A} refs/tags/v1\n`;
  assert.is(headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n", ".git/packed-refs": packed })), C);
  assert.is(
    headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": A, ".git/packed-refs": packed })),
    A,
    "a loose ref is newer than packed-refs",
  );
  assert.is(headCommit(tree({ ".git/HEAD": `${B}\n` })), B, "a detached HEAD names the commit itself");
  const sha256 = "d".repeat(64);
  assert.is(headCommit(tree({ ".git/HEAD": `${sha256}\n` })), sha256, "a SHA-256 repository's id");
});

test("a worktree: .git is a file naming its git dir (absolute or relative), refs are read there or in the common dir", () => {
  const main = tree({ "repo/.git/refs/heads/main": A, "repo/.git/packed-refs": `${C} refs/heads/packed\n` });
  const own = join(main, "repo/.git/worktrees/wt");
  const files = (head: string, commondir: string) => {
    mkdirSync(own, { recursive: true });
    writeFileSync(join(own, "HEAD"), head);
    writeFileSync(join(own, "commondir"), commondir);
  };
  mkdirSync(join(main, "wt"));
  writeFileSync(join(main, "wt/.git"), `gitdir: ${own}\n`);
  files("ref: refs/heads/main\n", "../..\n");
  assert.is(headCommit(join(main, "wt")), A, "the branch's ref in the common dir, commondir relative to the git dir");
  files("ref: refs/heads/packed\n", `${join(main, "repo/.git")}\n`);
  assert.is(headCommit(join(main, "wt")), C, "packed-refs of an absolute common dir");
  files("ref: refs/bisect/here\n", "../..\n");
  mkdirSync(join(own, "refs/bisect"), { recursive: true });
  writeFileSync(join(own, "refs/bisect/here"), B);
  assert.is(headCommit(join(main, "wt")), B, "a ref of the worktree's own git dir");
  writeFileSync(join(main, "wt/.git"), "gitdir: ../repo/.git/worktrees/wt\n");
  assert.is(headCommit(join(main, "wt")), B, "a gitdir relative to the checkout");
  writeFileSync(join(main, "wt/.git"), "not a pointer\n");
  assert.is(headCommit(join(main, "wt")), undefined, "a .git file that names no git dir");
});

test("a gitdir pointer and a HEAD ref count only at a line's start: else no git dir, else no commit", () => {
  const git = { "repo/.git/HEAD": "ref: refs/heads/main\n", "repo/.git/refs/heads/main": A };
  assert.is(headCommit(join(tree({ ...git, "wt/.git": "gitdir: ../repo/.git\n" }), "wt")), A);
  assert.is(headCommit(join(tree({ ...git, "wt/.git": "# gitdir: ../repo/.git\n" }), "wt")), undefined);
  assert.is(headCommit(tree({ ".git/HEAD": "x ref: refs/heads/main\n", ".git/refs/heads/main": A })), undefined);
});

test("no commit when none can be read: no .git, no HEAD, an empty HEAD, a branch with no ref, a root that is a file, text that is no object id", () => {
  assert.is(headCommit(tree({ "README.md": "x" })), undefined);
  assert.is(headCommit(tree({ ".git/config": "" })), undefined);
  assert.is(headCommit(tree({ ".git/HEAD": "\n" })), undefined);
  assert.is(
    headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n", ".git/packed-refs": `${A} refs/heads/x\n` })),
    undefined,
  );
  assert.is(headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n" })), undefined);
  assert.is(
    headCommit(tree({ ".git/HEAD": "ref: refs/heads/main\n", ".git/refs/heads/main": "<b>not a commit</b>\n" })),
    undefined,
    "a ref file that holds no object id",
  );
  assert.is(headCommit(tree({ ".git/HEAD": `${A.toUpperCase()}\n` })), undefined, "git writes ids in lowercase");
  assert.is(headCommit(join(tree({ file: "x" }), "file")), undefined, "not a directory: no throw");
});

test("the origin: the commit when there is one, the user behind sudo or else the process's, this machine", () => {
  const sudoUser = process.env.SUDO_USER;
  try {
    process.env.SUDO_USER = "operator";
    assert.equal(runOrigin(tree({ ".git/HEAD": `${A}\n` })), { commit: A, user: "operator", controller: hostname() });
    delete process.env.SUDO_USER;
    const origin = runOrigin(tree({}));
    assert.equal(origin, { user: userInfo().username, controller: hostname() });
    assert.not.ok("commit" in origin, "no commit key at all");
    process.env.SUDO_USER = "";
    assert.is(runOrigin(tree({})).user, userInfo().username, "an empty SUDO_USER is no user");
  } finally {
    if (sudoUser === undefined) delete process.env.SUDO_USER;
    else process.env.SUDO_USER = sudoUser;
  }
});

test.run();
