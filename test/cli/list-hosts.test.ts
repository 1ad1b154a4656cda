// `site.ts --list-hosts` prints each play's hosts of the chosen environment, narrowed by --limit, and connects to nothing.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";

const REPO_ROOT = join(import.meta.dirname, "../..");
// Through the launcher, which runs site.ts as tsx does (launcher.test.ts compares the two).
const site = (...args: string[]) =>
  spawnSync(join(REPO_ROOT, "bin/foobar-infra"), ["site", ...args], { cwd: REPO_ROOT, encoding: "utf8" });

test("--list-hosts -i lab prints every play with its hosts and addresses", () => {
  const result = site("-i", "lab", "--list-hosts");
  assert.is(result.status, 0, result.stderr);
  const lines = result.stdout.trim().split("\n");
  assert.is(lines.length, 9, result.stdout);
  assert.match(
    lines[0]!,
    /^play "hardening: sshd and firewall": lb-01 \(192\.168\.56\.10\), lb-02 .*mon-01 \(192\.168\.56\.30\)$/,
  );
  assert.ok(lines.includes('play "database replica": db-02 (192.168.56.22)'), result.stdout);
});

test("--list-hosts with -l keeps only the selected hosts; an unknown pattern exits 4 naming it", () => {
  const result = site("-i", "lab", "--list-hosts", "-l", "web,!web-02");
  assert.is(result.status, 0, result.stderr);
  assert.match(result.stdout, /^play "hardening: sshd and firewall": web-01 \(192\.168\.56\.11\)$/m);
  assert.match(result.stdout, /^play "database primary": no hosts$/m);
  const unknown = site("-i", "lab", "--list-hosts", "-l", "web-9");
  assert.is(unknown.status, 4);
  assert.match(unknown.stderr, /--limit: "web-9" matches no host or group of inventory lab/);
});

test.run();
