// bin/foobar-infra: lists playbooks and roles, runs a playbook file exactly as tsx does, and rebuilds its bundle only when a source changed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO_ROOT = join(import.meta.dirname, "../..");
const launcher = (...args: string[]) =>
  spawnSync(join(REPO_ROOT, "bin/foobar-infra"), args, { cwd: REPO_ROOT, encoding: "utf8" });
/** The launcher's cache file for a playbook file: its base name and a short sha256 of its real path. */
const cached = (file: string, extension: ".cjs" | ".cjs.v8" | ".mjs" | ".json") => {
  const real = realpathSync(join(REPO_ROOT, file));
  const hash = createHash("sha256").update(real).digest("hex").slice(0, 12);
  return join(REPO_ROOT, ".cache/bundles", `${basename(real, ".ts")}-${hash}${extension}`);
};
const bundle = cached("playbooks/site.ts", ".cjs");

/** Playbook files written under .cache/test-launcher-PID/ (path: contents) for `body`, removed afterwards with their bundles. */
function withPlaybooks(files: Record<string, string>, body: (dir: string) => void): void {
  const dir = `.cache/test-launcher-${process.pid}`;
  try {
    for (const [file, contents] of Object.entries(files)) {
      mkdirSync(dirname(join(REPO_ROOT, dir, file)), { recursive: true });
      writeFileSync(join(REPO_ROOT, dir, file), contents);
    }
    body(dir);
  } finally {
    // Their bundles are keyed by this process's directory: no later run reuses them.
    for (const file of Object.keys(files))
      for (const extension of [".cjs", ".cjs.v8", ".mjs", ".json"] as const)
        rmSync(cached(`${dir}/${file}`, extension), { force: true });
    rmSync(join(REPO_ROOT, dir), { recursive: true, force: true });
  }
}
/** A playbook file at `file` (under the temporary directory) that prints `text` when run. */
const printing = (file: string, text: string) => {
  const lib = relative(dirname(join(REPO_ROOT, ".cache/test-launcher", file)), join(REPO_ROOT, "lib"));
  return `import { isMain } from "${lib}/cli/main.ts";\nif (isMain(import.meta.url)) console.log(${JSON.stringify(text)});\n`;
};

test("--help lists every playbook and role", () => {
  const result = launcher("--help");
  assert.is(result.status, 0, result.stderr);
  for (const name of ["site", "deploy", "failover", "graph", "haproxy", "keepalived", "mysql_replica", "ufw"])
    assert.match(result.stdout, new RegExp(`^  ${name}$`, "m"));
  assert.is(launcher("-h").status, 0);
});

test("no arguments, or an unknown playbook: exit 4, an error line and the usage on stderr", () => {
  const none = launcher();
  assert.is(none.status, 4);
  assert.is(none.stdout, "");
  assert.match(none.stderr, /^error: no playbook given\n\nUsage: foobar-infra /);
  const unknown = launcher("nope");
  assert.is(unknown.status, 4);
  assert.match(unknown.stderr, /^error: no playbook "nope" \(playbooks\/nope\.ts\)\n\nUsage: /);
});

test("a playbook run through the launcher prints what the same file prints under tsx", () => {
  const viaLauncher = launcher("site", "-i", "lab", "--list-hosts", "-l", "lb");
  const viaTsx = spawnSync(
    process.execPath,
    ["--import", "tsx", "playbooks/site.ts", "-i", "lab", "--list-hosts", "-l", "lb"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
  assert.is(viaLauncher.status, 0, viaLauncher.stderr);
  assert.is(viaLauncher.stdout, viaTsx.stdout);
  assert.match(
    viaLauncher.stdout,
    /^play "load balancers: HAProxy": lb-01 \(192\.168\.56\.10\), lb-02 \(192\.168\.56\.9\)$/m,
  );
  const options = launcher("site", "--bogus");
  assert.is(options.status, 4);
  assert.match(options.stderr, /bogus/);
});

test("a playbook file given by path runs from its own bundle; a missing one is named", () => {
  const result = launcher("test/lab/playbooks/ufw-lockout.ts", "-i", "lab", "--list-hosts", "-l", "db-02");
  assert.is(result.status, 0, result.stderr);
  assert.is(result.stdout, 'play "firewall that would lock the runner out": db-02 (192.168.56.22)\n');
  const missing = launcher("playbooks/nope.ts");
  assert.is(missing.status, 4);
  assert.match(missing.stderr, /^error: no playbook "playbooks\/nope\.ts" \(.*playbooks\/nope\.ts\)/);
});

test("the bundle cache is keyed by the real file: a_b.ts and a/b.ts each run their own code", () => {
  withPlaybooks({ "a_b.ts": printing("a_b.ts", "I am a_b.ts"), "a/b.ts": printing("a/b.ts", "I am a/b.ts") }, (dir) => {
    for (const round of [1, 2]) {
      for (const [file, text] of [
        ["a_b.ts", "I am a_b.ts"],
        ["a/b.ts", "I am a/b.ts"],
      ]) {
        const result = launcher(`${dir}/${file}`);
        assert.is(result.status, 0, result.stderr);
        assert.is(result.stdout, `${text}\n`, `${file}, run ${round}`);
      }
    }
    // A manifest that names another file is not used, even with all its inputs unchanged: the bundle is rebuilt.
    copyFileSync(cached(`${dir}/a/b.ts`, ".json"), cached(`${dir}/a_b.ts`, ".json"));
    const result = launcher(`${dir}/a_b.ts`);
    assert.is(result.stdout, "I am a_b.ts\n", result.stderr);
    assert.is(
      JSON.parse(readFileSync(cached(`${dir}/a_b.ts`, ".json"), "utf8")).entry,
      realpathSync(`${REPO_ROOT}/${dir}/a_b.ts`),
    );
  });
});

test("site.ts is not playbooks/site.ts: missing in the repo root, another file elsewhere; a symlink is the same file", () => {
  const missing = launcher("site.ts", "-i", "lab", "--list-hosts");
  assert.is(missing.status, 4);
  assert.is(missing.stdout, "", "playbooks/site.ts's bundle is not run");
  assert.match(missing.stderr, /^error: no playbook "site\.ts" \(.*\/site\.ts\)/);
  withPlaybooks({ "site.ts": printing("site.ts", "my own site.ts") }, (dir) => {
    assert.is(launcher("site", "--help").status, 0);
    const mine = launcher(`${dir}/site.ts`, "-i", "lab");
    assert.is(mine.status, 0, mine.stderr);
    assert.is(mine.stdout, "my own site.ts\n");
    symlinkSync(join(REPO_ROOT, "playbooks/site.ts"), join(REPO_ROOT, dir, "link.ts"));
    const viaLink = launcher(`${dir}/link.ts`, "-i", "lab", "--list-hosts", "-l", "lb");
    assert.is(viaLink.status, 0, viaLink.stderr);
    assert.is(viaLink.stdout, launcher("./playbooks/site.ts", "-i", "lab", "--list-hosts", "-l", "lb").stdout);
    assert.match(viaLink.stdout, /^play "load balancers: HAProxy": lb-01/m);
  });
});

test("a playbook file that runs nothing when loaded, or does not load: exit 4 with one error line", () => {
  withPlaybooks(
    {
      "quiet.ts": `import { isMain } from "../../lib/cli/main.ts";\nexport const unused = isMain;\n`,
      "broken.ts": "const x = ;\n",
      "throws.ts": 'throw new Error("no inventory here");\n',
    },
    (dir) => {
      const quiet = launcher(`${dir}/quiet.ts`, "-i", "lab");
      assert.is(quiet.status, 4);
      assert.is(
        quiet.stderr,
        `error: ${dir}/quiet.ts defines no runnable playbook (loading it ran nothing): end it with ` +
          "`if (isMain(import.meta.url)) void run(playbook, inventory);` (isMain and run from lib/cli/main.ts, as in playbooks/site.ts)\n",
      );
      const broken = launcher(`${dir}/broken.ts`);
      assert.is(broken.status, 4);
      assert.match(broken.stderr, /^error: .*broken\.ts:1:11: Unexpected ";"\n$/);
      const throws = launcher(`${dir}/throws.ts`);
      assert.is(throws.status, 4);
      assert.is(throws.stderr, "error: no inventory here\n", "the message, no stack trace");
    },
  );
});

test("the bundle is reused while no source changed and rebuilt after one did", () => {
  launcher("site", "--help");
  const built = statSync(bundle).mtimeMs;
  launcher("site", "--help");
  assert.is(statSync(bundle).mtimeMs, built, "no source changed: the bundle is reused");
  const source = join(REPO_ROOT, "roles/ufw/index.ts");
  const now = new Date();
  utimesSync(source, now, now);
  launcher("site", "--help");
  assert.ok(statSync(bundle).mtimeMs > built, "a newer source rebuilds the bundle");
  assert.ok(
    readFileSync(bundle, "utf8").includes(JSON.stringify(join(REPO_ROOT, "roles/ufw"))),
    "each module keeps its own import.meta.dirname",
  );
});

test("the bundle's compiled code is kept beside it, used while V8 accepts it, and made again when it does not", () => {
  withPlaybooks({ "cached.ts": printing("cached.ts", "from the cached code") }, (dir) => {
    const codeCache = cached(`${dir}/cached.ts`, ".cjs.v8");
    const run = () => launcher(`${dir}/cached.ts`);
    assert.is(run().stdout, "from the cached code\n");
    const written = statSync(codeCache).mtimeMs;
    assert.is(run().stdout, "from the cached code\n");
    assert.is(statSync(codeCache).mtimeMs, written, "an accepted cache is not written again");
    writeFileSync(codeCache, "not V8's code cache");
    const third = run();
    assert.is(third.stdout, "from the cached code\n", third.stderr);
    assert.is(third.stderr, "");
    assert.ok(readFileSync(codeCache).length > 100, "a rejected cache is made again");
  });
});

test("a playbook file that awaits at top level runs from an ES module bundle", () => {
  const lib = relative(join(REPO_ROOT, ".cache/test-launcher"), join(REPO_ROOT, "lib"));
  const source = `import { isMain } from "${lib}/cli/main.ts";\nconst text = await Promise.resolve("awaited");\nif (isMain(import.meta.url)) console.log(text);\n`;
  withPlaybooks({ "waits.ts": source }, (dir) => {
    const result = launcher(`${dir}/waits.ts`);
    assert.is(result.stdout, "awaited\n", result.stderr);
    assert.is(result.status, 0);
    assert.ok(existsSync(cached(`${dir}/waits.ts`, ".mjs")), "bundled as an ES module");
  });
});

test.run();
