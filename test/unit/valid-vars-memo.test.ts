// The valid-vars memo: a pair (schema, vars) that passed is remembered across runs by hash; any change validates again.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { defineRole } from "../../lib/dsl/role.ts";
import { OneOf, Port, RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { validVarsMemo } from "../../lib/runner/valid-vars-memo.ts";
import { Secret } from "../../lib/secret.ts";
import { scratchDir } from "./support/scratch.ts";

const role = defineRole({
  name: "lb",
  dir: import.meta.dirname,
  schema: RoleVars({
    balance: OneOf(["roundrobin", "leastconn"], { default: "roundrobin", description: "Algorithm." }),
    port: Port({ default: 80, description: "Port." }),
    password: SecretVar({ description: "Password." }),
  }),
  tasks: () => [],
});
const vars = { balance: "roundrobin", port: 80, password: new Secret("stats", "s3cret-value-1") };

test("a pair recorded and saved passes in the next run; anything else does not", () => {
  const dir = scratchDir("memo-");
  const first = validVarsMemo(dir, "lab");
  assert.not.ok(first.passed(role, vars));
  first.record(role, vars);
  first.save();
  const next = validVarsMemo(dir, "lab");
  assert.ok(next.passed(role, vars));
  assert.not.ok(next.passed(role, { ...vars, port: 81 }), "another value");
  assert.not.ok(next.passed(role, { ...vars, password: "********" }), "a plain string where the secret was");
  assert.ok(
    next.passed(role, { ...vars, password: new Secret("stats", "another-value-2") }),
    "a secret counts by name: rotating it needs no validation",
  );
  const stricter = {
    ...role,
    schema: RoleVars({
      ...role.schema.properties,
      port: Type.Integer({ minimum: 1, maximum: 1024, default: 80, description: "Port." }),
    }),
  };
  assert.not.ok(next.passed(stricter, vars), "another schema");
  assert.not.ok(validVarsMemo(dir, "production").passed(role, vars), "another environment");
  assert.not.ok(
    readFileSync(join(dir, "lab", "valid-vars.json"), "utf8").includes("s3cret"),
    "no secret value on disk",
  );
});

test("without a directory nothing is kept between runs", () => {
  const memo = validVarsMemo(null, "lab");
  memo.record(role, vars);
  memo.save();
  assert.ok(memo.passed(role, vars));
  assert.not.ok(validVarsMemo(null, "lab").passed(role, vars));
});

test.run();
