// Every exit code of README's table is produced here, each by the situation the table gives it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventory from "../../hosts.ts";
import { run } from "../../lib/cli/main.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars, Type } from "../../lib/dsl/role-vars.ts";
import type { FakeLog } from "../../lib/testing/fake-transport.ts";
import { site } from "../../playbooks/site.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { recorder, runFake } from "./support/run.ts";

const README = readFileSync(join(import.meta.dirname, "../../README.md"), "utf8");

const role = (failing: boolean) =>
  defineRole({
    name: "one_key",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [failing ? { ...kv("k", "v"), apply: () => "fail k" } : kv("k", "v")],
  });
const book = (failing = false) => definePlaybook("codes", [{ name: "p", hosts: "all_fake", roles: [role(failing)] }]);

/** Each code's situation, run: the code it exits with. */
const SITUATIONS: Record<string, () => Promise<number>> = {
  "converged, or --check found nothing": async () => {
    const hosts = newHosts(["h1"]);
    await runFake(book(), fakeInventory(["h1"]), hosts);
    return (await runFake(book(), fakeInventory(["h1"]), hosts, { check: true })).exitCode;
  },
  "a task failed": async () => (await runFake(book(true), fakeInventory(["h1"]), newHosts(["h1"]))).exitCode,
  "--check found drift": async () =>
    (await runFake(book(), fakeInventory(["h1"]), newHosts(["h1"]), { check: true })).exitCode,
  "a host was unreachable": async () =>
    (await runFake(book(), fakeInventory(["h1", "h2"]), newHosts(["h1"]), { fake: { h2: { unreachable: true } } }))
      .exitCode,
  "invalid input (the CLI's own run)": async () => {
    const { error } = console;
    console.error = () => {};
    try {
      return await run(site, inventory, ["-i", "lab", "-l", ""]);
    } finally {
      console.error = error;
      process.exitCode = 0;
    }
  },
};

test("every exit code of README's table is produced, each by its own situation", async () => {
  const documented = [...README.matchAll(/^\| (\d) \| /gm)].map((match) => Number(match[1]));
  const produced: number[] = [];
  for (const produce of Object.values(SITUATIONS)) produced.push(await produce().catch(() => -1));
  assert.equal(produced, [0, 1, 2, 3, 4], Object.keys(SITUATIONS).join(", "));
  assert.equal(documented, produced, "README's exit-code table lists exactly these codes, in this order");
});

test("a template error and a role error, through the CLI's run(): exit 4, both named on the error line, nothing applied on any host", async () => {
  // strict.ejs uses vars no schema here declares; h2 has neither role and would converge if h1's errors only failed h1.
  const template = defineRole({
    name: "strict_conf",
    dir: join(import.meta.dirname, "fixtures"),
    schema: RoleVars({ port: Type.Number({ default: 80, description: "A port the template prints." }) }),
    tasks: ({ r }) => [r.template("/etc/strict.conf", "strict.ejs")],
  });
  const throwing = defineRole({
    name: "throws",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => {
      throw new Error("no resources for you");
    },
  });
  const playbook = definePlaybook("broken", [
    { name: "keys", hosts: "all_fake", roles: [role(false)] },
    { name: "conf", hosts: ["h1"], roles: [template, throwing] },
  ]);
  const hosts = newHosts(["h1", "h2"]);
  const log: FakeLog = { execs: [] };
  let printed = "";
  const { error } = console;
  console.error = (...parts: unknown[]) => {
    printed += `${parts.join(" ")}\n`;
  };
  let code: number;
  try {
    code = await run(playbook, fakeInventory(["h1", "h2"]), ["-i", "test"], {
      connect: connectorFor(hosts, log),
      reporter: recorder(),
      factsDir: null,
    });
  } finally {
    console.error = error;
    process.exitCode = 0;
  }
  assert.is(code, 4, printed);
  assert.match(printed, /host h1, play "conf", role strict_conf: template \S*strict\.ejs: [\s\S]* is not defined/);
  assert.match(printed, /host h1, play "conf", role throws: no resources for you/);
  assert.equal(
    Object.values(hosts).map((host) => host.actions),
    [[], []],
    "no apply step ran on h1 or h2",
  );
  assert.equal(
    Object.values(hosts).map((host) => host.store.size),
    [0, 0],
    "no key was set",
  );
});

test.run();
