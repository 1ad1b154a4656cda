// Real resources through the real /bin/sh (local transport): converge twice, then repair drift.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { runPlaybook } from "../../lib/runner/run.ts";
import { recorder, tasks } from "./support/run.ts";
import { RoleVars, Type } from "../../lib/dsl/role-vars.ts";

const root = mkdtempSync(join(tmpdir(), "local-converge-"));
const factsDir = mkdtempSync(join(tmpdir(), "facts-"));

const role = defineRole({
  name: "local_demo",
  dir: join(import.meta.dirname, "fixtures", "local"),
  schema: RoleVars({
    greeting: Type.String({
      default: "hello 'world' $HOME `id`",
      description: "Shell-hostile text the template must carry through unchanged.",
    }),
    names: Type.Array(Type.String(), { default: ["ümlaut", "two words"], description: "Non-ASCII and spaced names." }),
  }),
  tasks: ({ r }) => [
    r.directory(`${root}/etc/app`, { mode: "0750" }),
    r.directory(`${root}/srv/releases/v1`),
    r.file(`${root}/etc/app/plain.conf`, "a=1\nb=2\n", { mode: "0640" }),
    r.template(`${root}/etc/app/greeting.conf`, "greeting.ejs", {
      mode: "0644",
      validate: "grep -q greeting= %s",
      notify: "count reload",
    }),
    r.line(`${root}/etc/app/tuning.conf`, "b=3", { regexp: /^b=/ }),
    r.symlink(`${root}/srv/current`, `${root}/srv/releases/v1`),
    r.command("seed", `echo seeded > ${root}/srv/seed`, { creates: `${root}/srv/seed` }),
    r.file(`${root}/etc/app/obsolete`, null, { state: "absent" }),
  ],
  handlers: {
    "count reload": ({ r }) => r.command("reload counter", `echo x >> ${root}/reloads`, { unless: "false" }),
  },
});

const inventory = defineInventory({
  environments: {
    local: {
      hosts: { localhost: { address: "127.0.0.1", become: false } },
      groups: { local: { hosts: ["localhost"] } },
    },
  },
});
const playbook = definePlaybook("local", [{ name: "demo", hosts: "local", roles: [role] }]);

async function converge(options: { check?: boolean } = {}) {
  const reporter = recorder();
  const result = await runPlaybook(playbook, {
    inventory,
    environment: "local",
    check: options.check ?? false,
    diff: true,
    forks: 1,
    reporter,
    connect: async () => localTransport("localhost"),
    connectFresh: async () => localTransport("localhost"),
    repoRoot: root,
    factsDir,
  });
  return { ...result, events: reporter.events };
}

test.after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(factsDir, { recursive: true, force: true });
});

test("first run converges, second run changes nothing", async () => {
  writeFileSync(join(root, "placeholder"), "");
  mkdirSync(`${root}/etc/app`, { recursive: true });
  writeFileSync(`${root}/etc/app/tuning.conf`, "a=1\nb=2\n");
  const first = await converge();
  assert.is(first.exitCode, 0, JSON.stringify(tasks(first.events, "failed")));
  assert.is(first.counts.localhost!.changed, 8, "7 resources + the handler");
  assert.is(readFileSync(`${root}/etc/app/plain.conf`, "utf8"), "a=1\nb=2\n");
  assert.is(readFileSync(`${root}/etc/app/tuning.conf`, "utf8"), "a=1\nb=3\n");
  assert.match(
    readFileSync(`${root}/etc/app/greeting.conf`, "utf8"),
    /greeting=hello 'world' \$HOME `id`\nname=ümlaut\nname=two words\n/,
  );
  assert.is(statSync(`${root}/etc/app`).mode & 0o777, 0o750);
  assert.is(readlinkSync(`${root}/srv/current`), `${root}/srv/releases/v1`);
  assert.is(readFileSync(`${root}/reloads`, "utf8"), "x\n");
  const second = await converge();
  assert.is(second.counts.localhost!.changed, 0, JSON.stringify(tasks(second.events, "changed")));
  assert.is(second.counts.localhost!.ok, 8);
});

test("drift is seen by --check (exit 2) and repaired by the next run", async () => {
  writeFileSync(`${root}/etc/app/greeting.conf`, "greeting=tampered\n");
  chmodSync(`${root}/etc/app/plain.conf`, 0o666);
  const check = await converge({ check: true });
  assert.is(check.exitCode, 2);
  const drifted = tasks(check.events, "changed").filter((event) => !event.handler);
  assert.equal(drifted.map((event) => event.id).sort(), [
    `file:${root}/etc/app/plain.conf`,
    `template:${root}/etc/app/greeting.conf`,
  ]);
  assert.match(drifted.find((event) => event.id.startsWith("template"))!.changes![0]!.diff!, /-greeting=tampered/);
  const repair = await converge();
  assert.is(repair.counts.localhost!.changed, 3, "two resources + the handler");
  assert.is(statSync(`${root}/etc/app/plain.conf`).mode & 0o777, 0o640);
  assert.is(readFileSync(`${root}/reloads`, "utf8"), "x\nx\n");
  assert.is((await converge({ check: true })).exitCode, 0);
});

test("a failing validator keeps the live file and fails the task with the validator's output", async () => {
  const broken = defineRole({
    name: "broken",
    dir: root,
    schema: RoleVars({}),
    tasks: ({ r }) => [r.file(`${root}/etc/app/plain.conf`, "garbage\n", { validate: "grep -q '^a=' %s" })],
  });
  const reporter = recorder();
  const result = await runPlaybook(definePlaybook("broken", [{ name: "b", hosts: "local", roles: [broken] }]), {
    inventory,
    environment: "local",
    check: false,
    diff: false,
    forks: 1,
    reporter,
    connect: async () => localTransport("localhost"),
    connectFresh: async () => localTransport("localhost"),
    repoRoot: root,
    factsDir,
  });
  assert.is(result.exitCode, 1);
  assert.match(tasks(reporter.events, "failed")[0]!.message!, /validation failed: grep -q '\^a=' %s/);
  assert.is(readFileSync(`${root}/etc/app/plain.conf`, "utf8"), "a=1\nb=2\n");
});

test.run();
