// The lab itself: the booted hosts over strict SSH, isolated from the outside, apt proxy rules, reset, Pebble.
import { readFileSync } from "node:fs";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { ensureBaseImage } from "../../lab/base-image.ts";
import { chooseLabOs } from "../../lab/os-choice.ts";
import { chooseLabDb } from "../../lab/db-choice.ts";
import { LAB_PREFIX } from "../../lab/environment/instance.ts";
import { leftoverParts, status, up } from "../../lab/lab.ts";
import { ensureLabKeys } from "../../lab/keys.ts";
import { startMachine } from "../../lab/machine.ts";
import { paths } from "../../lab/paths.ts";
import { ACME_PORTS, APT_PROXY_PORT, GATEWAY, labDbHosts, labHostFor } from "../../lab/topology.ts";
import { freshHosts, hosts, mustOnHost, onHost, TARGET } from "./harness.ts";

const PROXY = `http://${GATEWAY.address}:${APT_PROXY_PORT}`;

if (TARGET === "lab") {
  test("every host boots systemd and answers strict-key SSH with its own name", async () => {
    for (const host of hosts.hosts) {
      const out = await mustOnHost(
        host.name,
        "hostname; systemctl is-system-running || true; ip -4 route show default | wc -l",
      );
      const [name, state, defaultRoutes] = out.split("\n");
      assert.is(name, host.name);
      assert.ok(["running", "degraded"].includes(state), `${host.name}: systemd state ${state}`);
      assert.is(defaultRoutes, "0", `${host.name} must have no default route`);
    }
  });

  test("hosts reach each other on the lab network", async () => {
    const out = await mustOnHost(
      "web-01",
      `ping -c1 -W2 ${hosts.host("db-01").address} >/dev/null && nc -z -w2 ${hosts.host("lb-01").address} 22 && echo reached`,
    );
    assert.is(out.trim(), "reached");
  });

  test("up twice is harmless: the same containers keep running", async () => {
    const before = status().hosts.map((host) => host.pid);
    await up(() => undefined);
    assert.equal(
      status().hosts.map((host) => host.pid),
      before,
    );
  });

  test("hosts reach nothing outside: the mirror directly, any public address", async () => {
    const mirrorAddress = readFileSync("/etc/hosts", "utf8").includes("deb.debian.org")
      ? "deb.debian.org"
      : "203.0.113.80";
    const direct = await onHost(
      "web-01",
      `curl -sS -m 3 -o /dev/null http://${mirrorAddress}/ ; curl -sS -m 3 -o /dev/null http://203.0.113.80/ ; ping -c1 -W1 1.1.1.1`,
    );
    assert.is.not(direct.code, 0);
    assert.match(direct.stderr, /(Could not resolve|Network is unreachable|Couldn't connect|Failed to connect)/);
  });

  test("apt proxy: only GET/HEAD to the Debian mirror and the booted images' suites; CONNECT and other hosts get 403; packages are cached", async () => {
    const suite = chooseLabOs().suite;
    // Unstable's index files only while the database hosts boot its image (--db mysql).
    const unstable = chooseLabDb(labDbHosts()).image ? "200" : "403";
    const codes = await mustOnHost(
      "web-01",
      [
        `curl -s -o /dev/null -w '%{http_code}\\n' -x ${PROXY} http://example.com/`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -x ${PROXY} -X POST http://deb.debian.org/debian/dists/${suite}/Release`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -x ${PROXY} http://deb.debian.org:8080/debian/`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -x ${PROXY} http://deb.debian.org/debian/dists/${suite}/Release`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -x ${PROXY} http://deb.debian.org/debian/dists/sid/Release`,
        `curl -s -o /dev/null -w '%{http_code}\\n' -p -x ${PROXY} https://deb.debian.org/ || true`,
      ].join("; "),
    );
    assert.equal(codes.split("\n").slice(0, 5), ["403", "403", "403", "200", unstable]);
    assert.match(codes.split("\n")[5] ?? "", /^(403|000)/);
    const uri = (await mustOnHost("web-01", "apt-get download --print-uris hostname | head -1 | cut -d\\' -f2")).trim();
    assert.match(uri, /^http:\/\/.+\/pool\/.+\.deb$/);
    await mustOnHost("web-01", `curl -sf -o /dev/null -x ${PROXY} ${uri}`);
    const second = await mustOnHost("web-01", `curl -sf -D - -o /dev/null -x ${PROXY} ${uri}`);
    assert.match(second.toLowerCase(), /x-lab-cache: hit/);
  });

  test("apt installs a package through the proxy", async () => {
    await mustOnHost(
      "web-02",
      "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q socat >/dev/null && socat -V | head -1",
    );
  });

  test("reset gives a pristine host with the same SSH host key", async () => {
    await mustOnHost("web-02", "echo drift > /etc/lab-marker && echo drift >> /etc/ssh/sshd_config");
    const keyBefore = readFileSync(paths.knownHosts, "utf8");
    await freshHosts("web-02");
    const marker = await onHost("web-02", "cat /etc/lab-marker");
    assert.is.not(marker.code, 0, "the marker must be gone after reset");
    assert.not.match(
      await mustOnHost("web-02", "cat /etc/ssh/sshd_config; command -v socat || true"),
      /drift|socat/,
      "modified and installed files are gone",
    );
    assert.is(readFileSync(paths.knownHosts, "utf8"), keyBefore);
  });

  // The other half, that `down` stops and removes it, is proved by test/lab/run.ts: its final down must leave nothing.
  test("a host the lab started that hosts.ts does not name: status and up call it stray, it counts as a leftover until down", async () => {
    const stray = labHostFor("gone-01", `${LAB_PREFIX}.99`);
    await ensureLabKeys([stray]); // as `up` did while hosts.ts still named it
    await startMachine(stray, await ensureBaseImage(chooseLabOs(), () => undefined));
    const reported = status().hosts.find((host) => host.name === "gone-01");
    assert.equal({ running: reported?.running, stray: reported?.stray }, { running: true, stray: true });
    assert.ok(
      status()
        .hosts.filter((host) => host.name !== "gone-01")
        .every((host) => !host.stray),
    );
    const said: string[] = [];
    await up((line) => said.push(line));
    assert.ok(
      said.some((line) => line.startsWith("gone-01: started by the lab but no longer in hosts.ts")),
      said.join("\n"),
    );
    assert.ok(leftoverParts().includes("container gone-01"), leftoverParts().join(", "));
  });

  test("Pebble's ACME directory is reachable from lb-01 with the exported API certificate", async () => {
    const api = readFileSync(paths.pebbleApiCert, "utf8");
    const directory = await mustOnHost(
      "lb-01",
      `cat > /tmp/pebble-api.pem && curl -sf --cacert /tmp/pebble-api.pem https://${GATEWAY.address}:${ACME_PORTS.api}/dir`,
      api,
    );
    assert.ok(JSON.parse(directory).newAccount, directory);
    assert.match(readFileSync(paths.pebbleRoot, "utf8"), /BEGIN CERTIFICATE/);
  });
}

test("every host of the target answers SSH", async () => {
  for (const host of hosts.hosts) assert.is((await onHost(host.name, "true")).code, 0, host.name);
});

test.run();
