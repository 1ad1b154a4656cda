// Every exit code of README's table is produced here, each by the situation the table gives it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventory from "../../hosts.ts";
import { run } from "../../lib/cli/main.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { site } from "../../playbooks/site.ts";
import { fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

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

test.run();
