// Role vars declared once: the declaration gives defaults and the schema, and a wrong value of each kind reads plainly.
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { Ajv } from "ajv";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { InputError } from "../../lib/errors.ts";
import type { Role } from "../../lib/dsl/role.ts";
import haproxy from "../../roles/haproxy/index.ts";
import keepalived from "../../roles/keepalived/index.ts";
import nginx from "../../roles/nginx/index.ts";
import ufw from "../../roles/ufw/index.ts";
import { registerFormats } from "../../lib/runner/formats.ts";
import { synth } from "./support/synth.ts";

/** The problems synthesising `role` with `vars` on `host` reports (in the play the site gives it). */
function problems(role: Role, hosts: string, host: string, vars: Record<string, unknown>): string[] {
  try {
    synth({ name: "p", hosts, roles: [{ role, vars }] }, host);
  } catch (error) {
    assert.instance(error, InputError);
    return (error as InputError).problems;
  }
  assert.unreachable(`no problem reported for ${JSON.stringify(vars)}`);
  return [];
}

test("defaults come from the declaration, var by var", () => {
  assert.is(nginx.defaults.listen, 80);
  assert.equal(nginx.defaults.server_names, ["www.foobar.com", "foobar.com"]);
  assert.is(haproxy.defaults.balance, "roundrobin");
  assert.is(keepalived.defaults.vip, undefined, "a required var without a default stays unset");
  assert.ok(nginx.schema.required?.includes("listen"));
});

test("every role's schema is valid JSON Schema (the runner skips this check to start faster)", async () => {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, validateSchema: true });
  registerFormats(ajv);
  ajv.addKeyword({ keyword: "secret", schemaType: "boolean" });
  ajv.addKeyword({ keyword: "meaning", schemaType: "string" });
  ajv.addKeyword({ keyword: "inventoryGroup", schemaType: "boolean" });
  const roots = join(import.meta.dirname, "../../roles");
  const names = readdirSync(roots).filter((name) => existsSync(join(roots, name, "index.ts")));
  assert.ok(names.length >= 13);
  for (const name of names) {
    const role = ((await import(join(roots, name, "index.ts"))) as { default: Role }).default;
    assert.ok(ajv.validateSchema(role.schema), `${name}: ${ajv.errorsText()}`);
    ajv.compile(role.schema);
  }
  assert.not.ok(
    ajv.validateSchema({ type: "object", properties: { port: { type: "integr" } } }),
    "the check sees a bad schema",
  );
});

test("a format reads as words: IPv4 address, host:port, interface name", () => {
  assert.equal(problems(keepalived, "lb", "lb-01", { vip: "10.0.0.300" }), [
    'host lb-01, role keepalived: /vip: must be an IPv4 address, found "10.0.0.300"',
  ]);
  assert.equal(problems(nginx, "web", "web-01", { app_upstream: "localhost" }), [
    'host web-01, role nginx: /app_upstream: must be host:port (a name or address, then a port from 1 to 65535), found "localhost"',
  ]);
  assert.equal(problems(haproxy, "lb", "lb-01", { stats_address: "abc" }), [
    'host lb-01, role haproxy: /stats_address: must be an IPv4 or IPv6 address, found "abc"',
  ]);
  synth({ name: "p", hosts: "lb", roles: [{ role: haproxy, vars: { stats_address: "fd00::1" } }] }, "lb-01"); // IPv6 is accepted
  assert.equal(problems(keepalived, "lb", "lb-01", { vrrp_interface: "an-interface-name-too-long" }), [
    'host lb-01, role keepalived: /vrrp_interface: must be a network interface name (up to 15 letters, digits or _.:@-, not starting with . : @ or -), found "an-interface-name-too-long"',
  ]);
});

test("a pattern reads as its meaning, never as the expression", () => {
  const [sizeProblem] = problems(nginx, "web", "web-01", { client_max_body_size: "big" });
  assert.is(
    sizeProblem,
    'host web-01, role nginx: /client_max_body_size: must be a size such as 512k, 1m or 2g, found "big"',
  );
  const [sourceProblem] = problems(ufw, "all", "db-01", { ssh_allow_from: ["10.0.0.0/33"] });
  assert.is(
    sourceProblem,
    'host db-01, role ufw: /ssh_allow_from/0: must be "any", an IPv4 or IPv6 address, or a CIDR such as 10.0.0.0/8, found "10.0.0.0/33"',
  );
});

test("ranges, enums, types, unknown vars and cross-field rules", () => {
  assert.equal(problems(nginx, "web", "web-01", { listen: 70000 }), [
    "host web-01, role nginx: /listen: must be <= 65535, found 70000",
  ]);
  assert.equal(problems(haproxy, "lb", "lb-01", { balance: "random" }), [
    'host lb-01, role haproxy: /balance: must be one of "roundrobin", "leastconn", "source", found "random"',
  ]);
  assert.equal(problems(nginx, "web", "web-01", { upstream_keepalive: "16" }), [
    'host web-01, role nginx: /upstream_keepalive: must be integer, found "16"',
  ]);
  assert.equal(problems(nginx, "web", "web-01", { listn: 81 }), ['host web-01, role nginx: /: unknown var "listn"']);
  assert.equal(problems(keepalived, "lb", "lb-01", { mode: "active-active" }), [
    'host lb-01, role keepalived: /: missing required var "second_vip"',
  ]);
  assert.equal(
    problems(ufw, "all", "db-01", { tier_rules: [{ group: "lb", proto: "vrrp", ports: [112], from: ["lb"] }] }),
    ["host db-01, role ufw: /tier_rules/0/ports: must not be set here, found [112]"],
  );
  assert.equal(problems(ufw, "all", "db-01", { tier_rules: [{ group: "web", ports: [80], from: [] }] }), [
    'host db-01, role ufw: /tier_rules/0/from: must be "any" or a non-empty list of inventory groups, found []',
  ]);
});

test.run();
