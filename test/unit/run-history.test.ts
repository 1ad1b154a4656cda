// The run history from fake-transport runs: each run through the CLI's run() is recorded (0600, masked as --json
// masks, who/where/what), the bound keeps the last runs and days; `--limit @failed` reruns the failed, unreachable and
// need-skipped hosts of the last run, and after a clean rerun says there is nothing to rerun.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { hostname, userInfo } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { REPO_ROOT } from "../../lib/cli/connector.ts";
import { run } from "../../lib/cli/main.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars, SecretVar } from "../../lib/dsl/role-vars.ts";
import { fanOut } from "../../lib/report/events.ts";
import { historyReporter } from "../../lib/report/history-reporter.ts";
import { listHeaders, readRecord } from "../../lib/report/history-store.ts";
import { headCommit } from "../../lib/report/run-origin.ts";
import { secret } from "../../lib/secret.ts";
import type { FakeHostOptions, FakeLog } from "../../lib/testing/fake-transport.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";
import { scratchDir } from "./support/scratch.ts";

const SEED = "history-seed-Qz7'\"$x";
process.env.FOOBAR_SECRET_HISTORY_SEED = SEED;

/** Hosts whose key step fails while they are in this set. */
const failing = new Set<string>();
const keys = defineRole({
  name: "keyed",
  dir: import.meta.dirname,
  schema: RoleVars({ seed: SecretVar({ description: "A secret the role writes." }) }),
  tasks: ({ host, vars }) => [
    kv("seed", vars.seed.reveal()),
    failing.has(host.name) ? { ...kv("k", "v"), apply: () => `fail ${vars.seed.reveal()}` } : kv("k", "v"),
  ],
});
const later = defineRole({
  name: "later",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: () => [kv("l", "1")],
});
const book = definePlaybook("keys", [
  { name: "base", hosts: "all_fake", roles: [keys] },
  { name: "after base", hosts: ["h4"], roles: [later], needs: ["base"] },
]);
const NAMES = ["h1", "h2", "h3", "h4"];
const inventory = fakeInventory(NAMES, { vars: { keyed: { seed: secret("history_seed") } } });

/** The CLI's run() over fake hosts with the history in `dir`: its exit code and what it printed. */
async function cliRun(
  dir: string,
  argv: string[],
  fake: Record<string, FakeHostOptions> = {},
  hosts = newHosts(NAMES),
) {
  const log: FakeLog = { execs: [] };
  let printed = "";
  const { write } = process.stdout;
  const { log: consoleLog } = console;
  process.env.FOOBAR_RUN_HISTORY_DIR = dir;
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  console.log = (...parts: unknown[]) => (printed += `${parts.join(" ")}\n`);
  try {
    const code = await run(book, inventory, ["-i", "test", ...argv], {
      connect: connectorFor(hosts, log, fake),
      factsDir: null,
    });
    return { code, printed, log };
  } finally {
    process.stdout.write = write;
    console.log = consoleLog;
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
    process.exitCode = 0;
  }
}

test("a CLI run is recorded: 0600 in a 0700 directory, its header says what, who, where and how it ended, its events are --json's, masked", async () => {
  const dir = scratchDir("history-");
  failing.add("h1");
  try {
    const { code } = await cliRun(dir, ["--diff"]);
    assert.is(code, 1);
  } finally {
    failing.clear();
  }
  const [header, ...others] = listHeaders(dir);
  assert.is(others.length, 0, "one run, one record");
  const file = join(dir, "test", `${header!.id}.ndjson`);
  assert.is(statSync(file).mode & 0o777, 0o600);
  assert.is(statSync(join(dir, "test")).mode & 0o777, 0o700);
  assert.match(header!.id, /^\d{8}-\d{6}\.\d{3}-[0-9a-f]{4}$/);
  assert.equal(
    { ...header!, id: "", startedAt: 0, durationMs: 0, commit: "" },
    {
      type: "run",
      id: "",
      playbook: "keys",
      environment: "test",
      check: false,
      commit: "",
      user: header!.user,
      controller: header!.controller,
      startedAt: 0,
      durationMs: 0,
      exitCode: 1,
      hosts: {
        h1: { ok: 0, changed: 1, failed: 1, unreachable: 0, skipped: 0 },
        h2: { ok: 0, changed: 2, failed: 0, unreachable: 0, skipped: 0 },
        h3: { ok: 0, changed: 2, failed: 0, unreachable: 0, skipped: 0 },
        h4: { ok: 0, changed: 2, failed: 0, unreachable: 0, skipped: 1 },
      },
      rerun: {
        h1: "failed: kv:k",
        h4: 'skipped: needs play "base", which did not complete on h1 (failed)',
      },
    },
  );
  assert.is(header!.commit, headCommit(REPO_ROOT), "the checkout's commit (run-origin.test reads it from git's files)");
  assert.is(header!.user, process.env.SUDO_USER || userInfo().username);
  assert.is(header!.controller, hostname());
  const text = readFileSync(file, "utf8");
  assert.not.ok(text.includes(SEED), "the secret's value is in the record");
  assert.ok(text.includes("boom: ********"), "the failed step's output, masked");
  const record = readRecord(dir, header!.id.slice(-4));
  assert.equal(
    [...new Set(record.events.map((event) => event.type))],
    ["start", "host-play", "play", "task", "recap"],
    "every kind of event the run had, in --json's form",
  );
  assert.ok(record.events.every((event) => typeof event.time === "string"));
});

test("the history keeps an environment's last N runs and nothing older than D days", async () => {
  const dir = scratchDir("history-bound-");
  const day = 86_400_000;
  const t0 = Date.UTC(2026, 0, 10, 12);
  const runAt = async (at: number, bound: { runs: number; days: number }) => {
    let now = at;
    await runFake(book, inventory, newHosts(NAMES), {
      reporter: fanOut(
        { emit: () => {}, close: () => {} },
        historyReporter({
          dir,
          bound: () => bound,
          origin: () => ({ user: "u", controller: "c" }),
          warn: (message) => assert.unreachable(message),
          now: () => now++,
        }),
      ),
    });
  };
  for (const offset of [0, 1, 2, 3]) await runAt(t0 + offset * 60_000, { runs: 3, days: 30 });
  const kept = listHeaders(dir).map((header) => header.startedAt);
  assert.equal(kept, [t0 + 60_000, t0 + 120_000, t0 + 180_000], "the last 3 runs");
  await runAt(t0 + 5 * day, { runs: 10, days: 2 });
  assert.equal(
    listHeaders(dir).map((header) => header.startedAt),
    [t0 + 5 * day],
    "runs older than 2 days are gone",
  );
  assert.equal(readdirSync(join(dir, "test")).length, 1);
});

test("--limit @failed reruns the failed, the unreachable and the need-skipped hosts; after a clean rerun it is empty and says so", async () => {
  const dir = scratchDir("history-failed-");
  const hosts = newHosts(NAMES);
  const down: Record<string, FakeHostOptions> = { h2: { unreachable: true } };
  failing.add("h1");
  const first = await cliRun(dir, [], down, hosts);
  assert.is(first.code, 1);
  assert.match(
    first.printed,
    /rerun what did not complete: bin\/foobar-infra keys -i test --limit @failed\n {4}h2: unreachable\n {4}h1: failed: kv:k\n {4}h4: skipped: needs play "base", which did not complete on h2 \(unreachable\)\n/,
  );
  failing.clear();
  down.h2!.unreachable = false;
  const rerun = await cliRun(dir, ["--limit", "@failed"], down, hosts);
  assert.is(rerun.code, 0, rerun.printed);
  const last = listHeaders(dir).at(-1)!;
  assert.equal(Object.keys(last.hosts), ["h1", "h2", "h4"], "the rerun ran exactly those hosts");
  assert.is(last.limit, "h2,h1,h4", "the limit it ran with, @failed resolved");
  assert.equal(last.rerun, {});
  assert.equal([...new Set(rerun.log.execs.map((exec) => exec.host))].sort(), ["h1", "h2", "h4"]);
  const empty = await cliRun(dir, ["--limit", "@failed"], down, hosts);
  assert.is(empty.code, 0);
  assert.is(empty.log.execs.length, 0, "nothing ran");
  assert.match(
    empty.printed,
    new RegExp(
      `^--limit @failed: nothing to rerun: the last run of keys on test \\(${last.id}, exit 0\\) completed on every host\\n$`,
    ),
  );
  assert.is(listHeaders(dir).length, 2, "a run that ran nothing is not recorded");
});

test("--limit @failed with no run of the playbook in the history is invalid input (exit 4), naming where it looked", async () => {
  const dir = scratchDir("history-none-");
  const { error } = console;
  let stderr = "";
  console.error = (...parts: unknown[]) => (stderr += parts.join(" "));
  try {
    const { code } = await cliRun(dir, ["--limit", "@failed"]);
    assert.is(code, 4);
  } finally {
    console.error = error;
  }
  assert.is(stderr, `error: --limit @failed: no run of keys on inventory test in the history (${join(dir, "test")})`);
});

test.run();
