// The lab's package list and .ci/run stay in sync; the apt proxy refuses everything but the mirror.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { refusal } from "../../lab/apt-proxy.ts";
import { LAB_PACKAGES } from "../../lab/requirements.ts";

test(".ci/run installs every Debian package the lab needs", () => {
  const ci = readFileSync(join(import.meta.dirname, "../../.ci/run"), "utf8");
  const installLine = ci.split("\n").find((line) => line.includes("apt-get install")) ?? "";
  for (const pkg of LAB_PACKAGES) assert.ok(installLine.split(/\s+/).includes(pkg), `.ci/run does not install ${pkg}`);
});

test("apt proxy refusal: only GET/HEAD over http to the mirror on port 80", () => {
  const mirror = ["deb.debian.org"];
  const url = (text: string) => new URL(text);
  assert.is(refusal("GET", url("http://deb.debian.org/debian/dists/bookworm/Release"), mirror), undefined);
  assert.is(refusal("HEAD", url("http://deb.debian.org:80/debian/"), mirror), undefined);
  assert.match(refusal("POST", url("http://deb.debian.org/debian/"), mirror)!, /method POST/);
  assert.match(refusal("GET", url("http://example.com/"), mirror)!, /example.com is not the Debian mirror/);
  assert.match(refusal("GET", url("http://deb.debian.org:8080/"), mirror)!, /port 8080/);
  assert.match(refusal("GET", url("https://deb.debian.org/"), mirror)!, /scheme https:/);
  assert.match(refusal("GET", undefined, mirror)!, /absolute http/);
  assert.match(refusal("CONNECT", url("http://deb.debian.org/"), mirror)!, /method CONNECT/);
});

test.run();
