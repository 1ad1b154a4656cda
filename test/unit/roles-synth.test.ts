// Role "synth": build each role's resources for the lab inventory without touching a host, and read them.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import haproxy from "../../roles/haproxy/index.ts";
import nginx from "../../roles/nginx/index.ts";
import { inventory, synth, written } from "./support/synth.ts";

test("haproxy: backends come from the web group, balance from vars, config validated by haproxy -c", () => {
  const resources = synth(
    { name: "lb", hosts: "lb", roles: [{ role: haproxy, vars: { balance: "leastconn" } }] },
    "lb-01",
  );
  const config = written(resources, "template:/etc/haproxy/haproxy.cfg");
  for (const web of ["web-01", "web-02"])
    assert.ok(config.includes(`server ${web} ${inventory.host(web).privateAddress}:80 check`), `backend ${web}`);
  assert.match(config, /balance leastconn/);
  assert.match(config, /option httpchk GET \/health/);
  assert.ok(config.includes(`bind ${inventory.host("lb-01").privateAddress}:8404`), "stats on the private address");
  assert.match(config, /stats socket \/run\/haproxy\/admin\.sock/);
  assert.match(config, /prometheus-exporter/);
  const script = resources.find((item) => item.id === "template:/etc/haproxy/haproxy.cfg")!.apply({ kind: "absent" });
  assert.match(script, /haproxy -c -f "\$tmp"/);
});

test("haproxy: a balance outside the allowed list is a schema error", () => {
  assert.throws(
    () => synth({ name: "lb", hosts: "lb", roles: [{ role: haproxy, vars: { balance: "random" } }] }, "lb-01"),
    (error: unknown) => error instanceof InputError && /host lb-01, role haproxy: \/balance/.test(error.message),
  );
});

test("nginx: X-Served-By on every response (also static), server_tokens off, default site removed", () => {
  const resources = synth({ name: "web", hosts: "web", roles: [nginx] }, "web-02");
  const site = written(resources, "template:/etc/nginx/sites-available/foobar");
  assert.is(
    site.match(/add_header X-Served-By \$hostname always;/g)?.length,
    2,
    "server level and the static location (add_header is not inherited)",
  );
  assert.match(site, /keepalive 16;/);
  assert.is(site.match(/server_tokens off;/g)?.length, 2, "in each server block");
  assert.not.match(
    written(resources, "template:/etc/nginx/conf.d/foobar-http.conf"),
    /server_tokens/,
    "not http-wide, where Debian 13's nginx.conf sets it already (a duplicate fails nginx -t)",
  );
  assert.ok(resources.some((item) => item.id === "file:/etc/nginx/sites-enabled/default"));
});

test.run();
