// The one package list: .ci/run shows it, every local command of the lab, tests and bench is in it; the apt proxy refuses all but the mirror.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { refusal } from "../../lab/apt-proxy.ts";
import { imageSuites } from "../../lab/base-image.ts";
import { labOs } from "../../lab/environment/os.ts";
import { packagesFor, TOOLS, tool } from "../../lab/requirements.ts";

const REPO_ROOT = join(import.meta.dirname, "../..");

test(".ci/run installs the lab's and the tests' packages from the list, and shows the list", () => {
  const ci = readFileSync(join(REPO_ROOT, ".ci/run"), "utf8");
  assert.match(ci, /^npx tsx lab\/packages\.ts install lab test$/m);
  assert.match(ci, /^npx tsx lab\/packages\.ts verify lab test$/m);
  const shown = ci.split("\n").find((line) => line.startsWith("# apt-get install")) ?? "";
  assert.is(
    shown,
    `# apt-get install --no-install-recommends ${packagesFor(["lab", "test"]).join(" ")}`,
    ".ci/run's comment line is stale",
  );
});

/** Every source file of the lab, the tests and the bench. */
const sources = ["lab", "test", "bench"]
  .flatMap((dir) =>
    readdirSync(join(REPO_ROOT, dir), { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      .map((file) => join(dir, file)),
  )
  .filter((file) => file !== "test/unit/lab-requirements.test.ts");

test("every local command the lab, the tests and the bench start is named in the package list", () => {
  const problems: string[] = [];
  for (const file of sources) {
    const text = readFileSync(join(REPO_ROOT, file), "utf8");
    for (const match of text.matchAll(
      /(?<![.\w])(?:spawn|spawnSync|execFile|execFileSync|exec|execSync|execa)\(\s*"([^"]+)"/g,
    )) {
      if (!match[1]!.startsWith("/"))
        problems.push(`${file}: ${match[0]} (name it through tool("${match[1]}") or capture/run)`);
    }
    for (const match of text.matchAll(/(?<![.\w])(?:capture|run|tryRun|tool)\(\s*"([^"]+)"/g)) {
      if (!match[1]!.startsWith("/") && !(match[1]! in TOOLS))
        problems.push(`${file}: ${match[0]} is not in lab/requirements.ts's TOOLS`);
    }
  }
  assert.equal(problems, []);
});

test("a command outside the list is refused by name", () => {
  assert.is(tool("ab"), "ab");
  assert.throws(() => tool("nmap"), /"nmap" is not in lab\/requirements.ts's TOOLS/);
  assert.ok(packagesFor(["bench"]).includes("ansible-core") && !packagesFor(["test"]).includes("ansible-core"));
});

test("apt proxy refusal: only GET/HEAD over http to the mirror on port 80, index files of the lab's suites only", () => {
  const suites = [...imageSuites(labOs("debian13", "test")), ...imageSuites(labOs("debian12", "test"))];
  const mirror = { hosts: ["deb.debian.org"], suites };
  const url = (text: string) => new URL(text);
  assert.is(refusal("GET", url("http://deb.debian.org/debian/dists/bookworm/Release"), mirror), undefined);
  assert.is(refusal("HEAD", url("http://deb.debian.org:80/debian/"), mirror), undefined);
  assert.match(refusal("POST", url("http://deb.debian.org/debian/"), mirror)!, /method POST/);
  assert.match(refusal("GET", url("http://example.com/"), mirror)!, /example.com is not the Debian mirror/);
  assert.match(refusal("GET", url("http://deb.debian.org:8080/"), mirror)!, /port 8080/);
  assert.match(refusal("GET", url("https://deb.debian.org/"), mirror)!, /scheme https:/);
  assert.match(refusal("GET", undefined, mirror)!, /absolute http/);
  assert.match(refusal("CONNECT", url("http://deb.debian.org/"), mirror)!, /method CONNECT/);
  for (const suite of ["trixie", "trixie-updates", "bookworm", "bookworm-updates"])
    assert.is(refusal("GET", url(`http://deb.debian.org/debian/dists/${suite}/InRelease`), mirror), undefined, suite);
  assert.is(
    refusal("GET", url("http://deb.debian.org/debian-security/dists/trixie-security/InRelease"), mirror),
    undefined,
  );
  assert.is(refusal("GET", url("http://deb.debian.org/debian/pool/main/h/haproxy/x.deb"), mirror), undefined);
  for (const suite of ["bullseye", "experimental", "trixie-backports", "%62ullseye", "%zz"])
    assert.match(
      refusal("GET", url(`http://deb.debian.org/debian/dists/${suite}/Release`), mirror)!,
      /suite .* is not one the lab's images install from/,
      suite,
    );
});

test.run();
