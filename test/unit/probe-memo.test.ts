// Probe memo through the real /bin/sh and stat: a block answered without running while its files are unchanged, and
// run again after any change to content, mode, a link's target or existence; recent files are not trusted; the apt
// cache check that moved from the probe to the install step. The host's clock is the test's (hostClock), not a sleep.
import { createHash } from "node:crypto";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  lstatSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { command } from "../../lib/resources/command.ts";
import { file } from "../../lib/resources/file.ts";
import { refreshCacheScript } from "../../lib/resources/package.ts";
import { shellProbe, type Probe } from "../../lib/facts/probe.ts";
import { memoBlock, ProbeMemo } from "../../lib/facts/probe-memo.ts";
import { buildScript, parseScriptOutput } from "../../lib/runner/script.ts";

const root = mkdtempSync(join(tmpdir(), "probe-memo-"));
test.after(() => rmSync(root, { recursive: true, force: true }));
const path = (name: string) => join(root, name);

/** Every path under root with its ctime (ns): what settled() saw, so a later write, chmod or link shows as a change. */
function ctimesUnderRoot(dir = root, into = new Map<string, bigint>()): Map<string, bigint> {
  for (const name of readdirSync(dir)) {
    const entry = join(dir, name);
    const stat = lstatSync(entry, { bigint: true });
    into.set(entry, stat.ctimeNs);
    if (stat.isDirectory()) ctimesUnderRoot(entry, into);
  }
  return into;
}

/**
 * The host's clock as the memo reads it (the ctime of /proc/self/ in the shared stat's output, see shared-stat.ts): real
 * time, but after settled() and while nothing under root has changed since, as far ahead as the memo's racy window
 * (1 s) and a margin, as if the test had waited that long.
 */
const hostClock = {
  settledFiles: undefined as Map<string, bigint> | undefined,
  aheadSeconds(): number {
    const now = ctimesUnderRoot();
    const settled = this.settledFiles;
    const unchanged =
      settled !== undefined &&
      now.size === settled.size &&
      [...now].every(([path, ctime]) => settled.get(path) === ctime);
    return unchanged ? 1.1 : 0;
  },
  /** The shared stat's output with the clock line moved ahead. */
  shift(stdout: string): string {
    const ahead = this.aheadSeconds();
    if (ahead === 0) return stdout;
    return stdout.replace(/^(\/proc\/self\/(?:\|[^|\n]*){4}\|)([0-9.]+)\|/m, (_, before: string, ctime: string) => {
      return `${before}${(Number(ctime) + ahead).toFixed(9)}|`;
    });
  },
};

/** Files older than the racy window, so the memo may keep their blocks: the host's clock moves past them. */
function settled() {
  hostClock.settledFiles = ctimesUnderRoot();
}

/** Run probes once; `ran` says which blocks ran their body (their output was captured, not taken from the memo). */
async function run(memo: ProbeMemo, probes: Probe[]) {
  const script = buildScript([], probes, memo);
  const stdout = hostClock.shift((await localTransport().exec("sh -s", { stdin: script.text })).stdout);
  const ran = (stdout.match(/_BEGIN__/g) ?? []).length;
  return { outputs: parseScriptOutput(stdout, script).probes.map((section) => section.output), ran, text: script.text };
}

const catBlock = (...names: string[]) =>
  shellProbe(`cat ${names.map(path).join(" ")} 2>/dev/null; echo end`, names.map(path));

test("a block is answered from the memo while its file is unchanged, and runs again after a write or a chmod", async () => {
  writeFileSync(path("a.conf"), "one\n");
  settled();
  const memo = new ProbeMemo(null);
  const first = await run(memo, [catBlock("a.conf")]);
  assert.equal(first.outputs, ["one\nend\n"]);
  assert.is(first.ran, 1);
  const second = await run(memo, [catBlock("a.conf")]);
  assert.equal(second.outputs, ["one\nend\n"], "the saved output, exactly");
  assert.is(second.ran, 0, "nothing ran on the host");
  writeFileSync(path("a.conf"), "two\n");
  const changed = await run(memo, [catBlock("a.conf")]);
  assert.equal(changed.outputs, ["two\nend\n"]);
  assert.is(changed.ran, 1);
  assert.is((await run(memo, [catBlock("a.conf")])).ran, 1, "a file written within the last second is not trusted yet");
  settled();
  assert.is((await run(memo, [catBlock("a.conf")])).ran, 1, "saved now");
  assert.is((await run(memo, [catBlock("a.conf")])).ran, 0);
  chmodSync(path("a.conf"), 0o600);
  assert.is((await run(memo, [catBlock("a.conf")])).ran, 1, "a mode change is a change (ctime)");
});

test("a file's content edited with its mtime put back is still a change", async () => {
  writeFileSync(path("b.conf"), "same size 1\n");
  const before = statSync(path("b.conf"));
  settled();
  const memo = new ProbeMemo(null);
  await run(memo, [catBlock("b.conf")]);
  assert.is((await run(memo, [catBlock("b.conf")])).ran, 0);
  writeFileSync(path("b.conf"), "same size 2\n");
  utimesSync(path("b.conf"), before.atime, before.mtime);
  const after = await run(memo, [catBlock("b.conf")]);
  assert.is(after.ran, 1);
  assert.equal(after.outputs, ["same size 2\nend\n"]);
});

test("an absent file is part of the answer: creating it runs the block again", async () => {
  const memo = new ProbeMemo(null);
  settled();
  await run(memo, [catBlock("later.conf")]);
  assert.is((await run(memo, [catBlock("later.conf")])).ran, 0, "absent both times");
  writeFileSync(path("later.conf"), "now\n");
  assert.equal((await run(memo, [catBlock("later.conf")])).outputs, ["now\nend\n"]);
});

test("through a symlink: the target is followed, so editing the target runs the block again", async () => {
  writeFileSync(path("target-1.pem"), "cert 1\n");
  symlinkSync(path("target-1.pem"), path("live.pem"));
  settled();
  const memo = new ProbeMemo(null);
  assert.is(
    (await run(memo, [catBlock("live.pem")])).ran,
    1,
    "first run: the link is seen, its target is not statted yet",
  );
  assert.is((await run(memo, [catBlock("live.pem")])).ran, 1, "second run: the target is statted and the block saved");
  assert.is((await run(memo, [catBlock("live.pem")])).ran, 0);
  writeFileSync(path("target-1.pem"), "cert 2\n");
  assert.equal((await run(memo, [catBlock("live.pem")])).outputs, ["cert 2\nend\n"]);
});

test("a command guard with dependsOn is memoized; one without is not; the memo file is private and keeps only used blocks", async () => {
  writeFileSync(path("receipt"), "abc\n");
  settled();
  const dir = mkdtempSync(join(tmpdir(), "probe-memo-store-"));
  try {
    const guarded = command("push", "true", {
      onlyIf: `! grep -q abc ${path("receipt")}`,
      dependsOn: [path("receipt")],
    }).probe({ diff: false });
    const plain = command("other", "true", { onlyIf: "true" }).probe({ diff: false });
    const first = new ProbeMemo(join(dir, "lab", "h.memo.json"));
    await run(first, [guarded, plain]);
    first.save();
    const file = join(dir, "lab", "h.memo.json");
    assert.is(statSync(file).mode & 0o777, 0o600);
    const second = await run(ProbeMemo.forHost(dir, "lab", "h"), [guarded, plain]);
    assert.equal(second.outputs, ["done\n", "needed\n"]);
    assert.is(second.ran, 0, "the guard was answered from the saved memo");
    assert.not.match(second.text, /grep -q abc[^\n]*\n\) /, "its subshell is not entered either");
    const third = new ProbeMemo(file);
    await run(third, [plain]);
    third.save();
    assert.equal(
      Object.keys((JSON.parse(readFileSync(file, "utf8")) as { entries: object }).entries),
      [],
      "the guard's entry was not used: dropped",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a file's hash is saved, a sensitive file's is not: it is read on every run and never written to the memo", async () => {
  writeFileSync(path("plain.conf"), "port=80\n");
  writeFileSync(path("secret.conf"), "password=hunter2\n");
  settled();
  const dir = mkdtempSync(join(tmpdir(), "probe-memo-store-"));
  try {
    const probes = [
      file(path("plain.conf"), "port=80\n"),
      file(path("secret.conf"), "password=hunter2\n", { sensitive: true }),
    ].map((resource) => resource.probe({ diff: false }));
    const memo = ProbeMemo.forHost(dir, "lab", "h");
    await run(memo, probes);
    memo.save();
    const again = await run(ProbeMemo.forHost(dir, "lab", "h"), probes);
    assert.is(again.ran, 0, "the plain file's hash came from the memo");
    assert.is((again.text.match(/sha256sum -- /g) ?? []).length, 2, "the sensitive file is hashed with no gate");
    assert.match(again.outputs[1]!, /^file /);
    const saved = readFileSync(join(dir, "lab", "h.memo.json"), "utf8");
    const hashOf = (text: string) => createHash("sha256").update(text).digest("hex");
    assert.ok(saved.includes(hashOf("port=80\n")));
    assert.not.ok(saved.includes(hashOf("password=hunter2\n")));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a probe with two blocks and a plain line between them: each block gated on its own, the line always runs", async () => {
  writeFileSync(path("one"), "1\n");
  writeFileSync(path("two"), "2\n");
  settled();
  const memo = new ProbeMemo(null);
  const probe = [catBlock("one"), shellProbe("echo middle"), catBlock("two")];
  const first = await run(memo, [probe]);
  assert.equal(first.outputs, ["1\nend\nmiddle\n2\nend\n"]);
  const second = await run(memo, [probe]);
  assert.equal(second.outputs, first.outputs);
  assert.is(second.ran, 0);
  writeFileSync(path("two"), "3\n");
  const third = await run(memo, [probe]);
  assert.equal(third.outputs, ["1\nend\nmiddle\n3\nend\n"]);
  assert.is(third.ran, 1, "only the second block ran");
});

test("a child glob: the subdirectories' lines are kept, so a link added inside one, or a new one, runs the block again", async () => {
  const units = path("units");
  mkdirSync(join(units, "multi-user.target.wants"), { recursive: true });
  writeFileSync(join(units, "a.service"), "[Unit]\n");
  settled();
  const memo = new ProbeMemo(null);
  const probe = shellProbe(`ls ${units}/*/; echo end`, [units, `${units}/*/`]);
  assert.is((await run(memo, [probe])).ran, 1);
  const again = await run(memo, [probe]);
  assert.is(again.ran, 0);
  assert.match(again.text, /multi-user\.target\.wants\/\|/, "the subdirectory's own line is a condition");
  symlinkSync(join(units, "a.service"), join(units, "multi-user.target.wants", "a.service"));
  assert.match(
    (await run(memo, [probe])).outputs[0]!,
    /a\.service/,
    "the link inside the subdirectory changed its line",
  );
  settled();
  await run(memo, [probe]);
  assert.is((await run(memo, [probe])).ran, 0);
  mkdirSync(join(units, "timers.target.wants"));
  assert.is((await run(memo, [probe])).ran, 1, "a new subdirectory changed the directory's line");
});

test("an absent path in a directory the block also depends on is not checked on its own: the directory's line covers it", async () => {
  mkdirSync(path("conf.d"));
  settled();
  const memo = new ProbeMemo(null);
  const probe = shellProbe(`cat ${path("conf.d/extra.conf")} 2>/dev/null; echo end`, [
    path("conf.d"),
    path("conf.d/extra.conf"),
  ]);
  await run(memo, [probe]);
  const again = await run(memo, [probe]);
  assert.is(again.ran, 0);
  assert.not.match(again.text, /!\S*extra\.conf/, "no absence check for the file");
  assert.not.match(again.text, /stat -c [^\n]*extra\.conf/, "nor a stat of it");
  writeFileSync(path("conf.d/extra.conf"), "x=1\n");
  assert.equal((await run(memo, [probe])).outputs, ["x=1\nend\n"], "creating it changed the directory");
});

test("an unchanged stat answers every gate with one comparison; a change elsewhere falls back to each block's own lines", async () => {
  writeFileSync(path("gate-1"), "1\n");
  writeFileSync(path("gate-2"), "2\n");
  settled();
  const memo = new ProbeMemo(null);
  const probes = [catBlock("gate-1"), catBlock("gate-2")];
  await run(memo, probes);
  const fast = await run(memo, probes);
  assert.is(fast.ran, 0);
  assert.match(fast.text, /foobar_same=; \[ "\$\{FOOBAR_STAT#\*"\$FOOBAR_NL"\}" = '/);
  assert.is((fast.text.match(/if \[ -n "\$foobar_same" \] \|\| foobar_fresh /g) ?? []).length, 2);
  writeFileSync(path("gate-2"), "two\n");
  const changed = await run(memo, probes);
  assert.equal(changed.outputs, ["1\nend\n", "two\nend\n"], "gate-1 from its own lines, gate-2 run");
  assert.is(changed.ran, 1);
  assert.is((await run(memo, probes)).ran, 1, "gate-2 is too recent to keep; the stat differs from the last one again");
});

test("paths a stat line cannot carry leave the body unmemoized", () => {
  assert.is(memoBlock(["/etc/with space"], "cat x"), "cat x");
  assert.is(memoBlock([], "cat x"), "cat x");
  assert.equal(memoBlock(["/a"], "cat x"), { paths: ["/a"], body: "cat x" });
});

test("the apt cache is refreshed at install time when it is old or a source list is newer", async () => {
  const files = { cache: path("pkgcache.bin"), sources: `${path("sources.list")} ${path("sources.list.d")}/*` };
  const updates = async () =>
    (await localTransport().exec("sh -s", { stdin: refreshCacheScript("echo apt-get", 3600, files) })).stdout;
  assert.is(await updates(), "apt-get update\n", "no cache at all");
  writeFileSync(files.cache, "");
  writeFileSync(path("sources.list"), "");
  const now = Date.now() / 1000;
  utimesSync(path("sources.list"), now - 600, now - 600);
  assert.is(await updates(), "", "a fresh cache built after its sources");
  utimesSync(files.cache, now - 7200, now - 7200);
  utimesSync(path("sources.list"), now - 9000, now - 9000);
  assert.is(await updates(), "apt-get update\n", "older than an hour");
  utimesSync(files.cache, now - 60, now - 60);
  utimesSync(path("sources.list"), now - 10, now - 10);
  assert.is(await updates(), "apt-get update\n", "a source list changed after the cache was built");
  assert.ok(existsSync(files.cache));
});

test.run();
