// bin/foobar-infra: lists playbooks and roles, runs a playbook file exactly as tsx does, and rebuilds its bundle only when a source changed.
import { spawnSync } from "node:child_process";
import { readFileSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO_ROOT = join(import.meta.dirname, "../..");
const launcher = (...args: string[]) =>
  spawnSync(join(REPO_ROOT, "bin/foobar-infra"), args, { cwd: REPO_ROOT, encoding: "utf8" });
const bundle = join(REPO_ROOT, ".cache/bundles/site.mjs");

test("--help lists every playbook and role", () => {
  const result = launcher("--help");
  assert.is(result.status, 0, result.stderr);
  for (const name of ["site", "deploy", "failover", "graph", "haproxy", "keepalived", "mysql_replica", "ufw"])
    assert.match(result.stdout, new RegExp(`^  ${name}$`, "m"));
  assert.is(launcher("nope").status, 2);
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
    /^play "load balancers and their virtual IP": lb-01 \(192\.168\.56\.10\), lb-02 \(192\.168\.56\.9\)$/m,
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
  assert.is(missing.status, 2);
  assert.match(missing.stderr, /no playbook "playbooks\/nope\.ts" \(.*playbooks\/nope\.ts\)/);
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

test.run();
