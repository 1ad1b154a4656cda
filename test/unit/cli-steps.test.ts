// The operational CLIs' helpers (lib/cli/steps.ts): the narrative printer (plain or NDJSON, masked), a playbook step run
// with the CLI's options and no rerun hint, --seconds options, and the exit code an operational CLI's run sets.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCli } from "../../lib/cli/args.ts";
import { exitWith, runStep, sayer, secondsOption, stepRunOptions } from "../../lib/cli/steps.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { InputError } from "../../lib/errors.ts";
import { defineInventory } from "../../lib/inventory/define.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { Secret } from "../../lib/secret.ts";
import { fakeInventory, kv } from "./support/kv-host.ts";
import { printed } from "./support/printed.ts";

const cli = (...argv: string[]) => parseCli(["-i", "test", ...argv]);

test("sayer prints the CLI's own lines plain, or as {type, message} NDJSON under --json, masking secrets either way", async () => {
  const value = new Secret("step", "sayer-secret-value-37").reveal();
  const plain = await printed(() => sayer(cli(), "step")(`promoting with ${value}`));
  const json = await printed(() => sayer(cli("--json"), "step")(`promoting with ${value}`));
  assert.is(plain.stdout, "promoting with ********\n");
  assert.is(json.stdout, '{"type":"step","message":"promoting with ********"}\n');
});

test("a step's reporter prints no rerun hint: the command that runs it tells what to do", async () => {
  const failed: RunEvent[] = [
    { type: "start", playbook: "site", environment: "test", hosts: ["h1"], check: false },
    { type: "task", play: "p", host: "h1", id: "kv:x", status: "failed", message: "boom", startedAt: 1, durationMs: 1 },
    {
      type: "recap",
      hosts: { h1: { ok: 0, changed: 0, failed: 1, unreachable: 0, skipped: 0 } },
      durationMs: 1,
      exitCode: 1,
      check: false,
    },
  ];
  const history = mkdtempSync(join(tmpdir(), "foobar-history-"));
  process.env.FOOBAR_RUN_HISTORY_DIR = history;
  try {
    const out = await printed(() => {
      const { reporter } = stepRunOptions(cli(), fakeInventory(["h1"]), "h1");
      failed.forEach((event) => reporter.emit(event));
      reporter.close();
    });
    assert.match(out.stdout, /FAILED\s+h1\s+kv:x: boom/);
    assert.not.ok(out.stdout.includes("rerun"), out.stdout);
  } finally {
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
    rmSync(history, { recursive: true, force: true });
  }
});

test("runStep runs the playbook over SSH with the CLI's options and returns its exit code: 3 for a host that refuses the connection", async () => {
  const inventory = defineInventory({
    environments: {
      test: {
        hosts: { h1: { address: "127.0.0.1" } },
        groups: { all_test: { hosts: ["h1"] } },
        ssh: { user: "root", port: 1 },
      },
    },
  });
  const role = defineRole({
    name: "subject",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: () => [kv("x", "1")],
  });
  const book = definePlaybook("step", [{ name: "p", hosts: "h1", roles: [role] }]);
  const history = mkdtempSync(join(tmpdir(), "foobar-history-"));
  process.env.FOOBAR_RUN_HISTORY_DIR = history;
  let code = -1;
  try {
    const out = await printed(async () => {
      code = await runStep(cli(), inventory, book, "h1");
    });
    assert.is(code, 3, out.stdout);
  } finally {
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
    rmSync(history, { recursive: true, force: true });
  }
});

test("secondsOption: absent is the fallback, given is that many seconds, in ms; zero, negative, infinite or not a number is an input error naming the option", () => {
  assert.is(secondsOption(undefined, 30, "wait"), 30_000);
  assert.is(secondsOption("2.5", 30, "wait"), 2500);
  for (const bad of ["0", "-1", "Infinity", "soon"])
    assert.throws(
      () => secondsOption(bad, 30, "wait"),
      (error: unknown) =>
        error instanceof InputError && error.message === `--wait must be a positive number of seconds, found "${bad}"`,
    );
});

test("exitWith sets the process's exit code to the run's own code", async () => {
  let code: typeof process.exitCode;
  await printed(async () => {
    exitWith(Promise.resolve(2));
    await new Promise((done) => setImmediate(done));
    code = process.exitCode;
  });
  assert.is(code, 2);
});

test.run();
