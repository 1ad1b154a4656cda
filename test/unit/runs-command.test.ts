// `runs`, `runs show` and `runs diff` on runs recorded from fake-transport runs: the table of an environment's runs,
// a run's story replayed, and what differs per host and resource between a failing run and its repair.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { runsCommand } from "../../lib/cli/runs-command.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { historyReporter } from "../../lib/report/history-reporter.ts";
import { listHeaders } from "../../lib/report/history-store.ts";
import type { FakeHostOptions } from "../../lib/testing/fake-transport.ts";
import { fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";
import { scratchDir } from "./support/scratch.ts";

const failing = new Set<string>();
const role = defineRole({
  name: "keyed",
  dir: import.meta.dirname,
  schema: RoleVars({}),
  tasks: ({ host }) => [failing.has(host.name) ? { ...kv("k", "v"), apply: () => "fail k" } : kv("k", "v")],
});
const book = definePlaybook("keys", [{ name: "p", hosts: "all_fake", roles: [role] }]);
const NAMES = ["h1", "h2", "h3", "h4"];
const inventory = fakeInventory(NAMES);
const dir = scratchDir("runs-command-");
const hosts = newHosts(NAMES);

/** One run of `book`, recorded in `dir`. */
async function recorded(fake: Record<string, FakeHostOptions>) {
  await runFake(book, inventory, hosts, {
    fake,
    reporter: historyReporter({
      dir,
      bound: () => ({ runs: 10, days: 10 }),
      origin: () => ({ user: "ops", controller: "ctl", commit: "c0ffee" }),
      warn: (message) => assert.unreachable(message),
    }),
  });
}

/** What `runs ARGV` prints, and its exit code (no ARGV: the process's command line). */
async function runs(argv?: string[]) {
  let printed = "";
  const { log } = console;
  const { write } = process.stdout;
  process.env.FOOBAR_RUN_HISTORY_DIR = dir;
  console.log = (...parts: unknown[]) => {
    printed += `${parts.join(" ")}\n`;
  };
  process.stdout.write = ((chunk: string) => {
    printed += chunk;
    return true;
  }) as typeof process.stdout.write;
  try {
    return { code: await runsCommand({ environments: { test: inventory.environments.test! } }, argv), printed };
  } finally {
    console.log = log;
    process.stdout.write = write;
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
  }
}

/** The message `runs ARGV` fails with. */
const failure = (argv: string[]) =>
  runs(argv).then(
    () => "(no error)",
    (error: Error) => error.message,
  );

test.before(async () => {
  failing.add("h1");
  await recorded({ h2: { unreachable: true }, h4: { unreachable: true } });
  failing.clear();
  await recorded({ h4: { unreachable: true } });
});

test("runs diff: per host, each resource whose outcome differs (A → B), reached or not, and the hosts that did the same", async () => {
  const [a, b] = listHeaders(dir);
  const { code, printed } = await runs(["diff", a!.id, b!.id.slice(-4)]);
  assert.is(code, 0);
  const lines = printed.split("\n");
  assert.match(
    lines[0]!,
    new RegExp(`^A ${a!.id} \\(keys on test, \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC, [\\d.]+ m?s, exit 1\\)$`),
  );
  assert.match(lines[1]!, new RegExp(`^B ${b!.id} \\(keys on test, .* exit 3\\)$`));
  assert.equal(lines.slice(2), [
    "  h1",
    "    p › kv:k: failed: boom: k → changed: k (unset) -> v",
    "  h2",
    "    unreachable → reached",
    "  h3",
    "    p › kv:k: changed: k (unset) -> v → ok",
    "  the same in both: h4",
    "",
  ]);
});

test("runs: a row per run of the environment, oldest first, with the hosts that changed, failed or were not reached", async () => {
  const [a, b] = listHeaders(dir);
  const { printed } = await runs(["-i", "test"]);
  const rows = printed.trimEnd().split("\n");
  assert.match(rows[0]!, /^ID +STARTED \(UTC\) +BY +PLAYBOOK +EXIT +TIME +HOSTS$/);
  assert.match(
    rows[1]!,
    new RegExp(
      `^${a!.id} +[-\\d]+ [:\\d]+ +ops@ctl +keys +1 +[\\d.]+ m?s +h1 failed 1, h2 unreachable, h3 changed 1, h4 unreachable$`,
    ),
  );
  assert.match(
    rows[2]!,
    new RegExp(
      `^${b!.id} +.* ops@ctl +keys +3 +[\\d.]+ m?s +h1 changed 1, h2 changed 1, h4 unreachable, 1 host unchanged$`,
    ),
  );
  assert.is(rows.length, 3);
});

test("without arguments given, the process's command line after the script: the environment's runs", async () => {
  const { argv } = process;
  process.argv = [process.execPath, "playbooks/runs.ts", "-i", "test"];
  try {
    assert.is((await runs()).printed, (await runs(["-i", "test"])).printed);
  } finally {
    process.argv = argv;
  }
});

test("runs show: where the run came from, then its lines and recap as printed, with the rerun command", async () => {
  const [a] = listHeaders(dir);
  const { printed } = await runs(["show", a!.id.slice(0, 19)]);
  const lines = printed.split("\n");
  assert.match(lines[0]!, new RegExp(`^run ${a!.id} \\(keys on test, .*exit 1\\)$`));
  assert.is(lines[1], "by ops on ctl, commit c0ffee");
  assert.ok(lines.includes("  FAILED   h1  kv:k: boom: k"), printed);
  assert.ok(lines.includes("  h1               ok=0 changed=0 failed=1 unreachable=0 skipped=0"), printed);
  assert.ok(lines.includes("  rerun what did not complete: bin/foobar-infra keys -i test --limit @failed"), printed);
});

test("an id the history does not hold, or one that names two runs, is invalid input naming it", async () => {
  assert.is(await failure(["show", "19990101"]), `no run "19990101" in the history (${dir})`);
  const [a, b] = listHeaders(dir);
  assert.is(
    await failure(["show", a!.id.slice(0, 4)]),
    `"${a!.id.slice(0, 4)}" names 2 runs (${a!.id}, ${b!.id}): give more of the id`,
  );
  assert.is(await failure(["diff", a!.id]), "runs.ts diff A B: give two run ids");
});

test.run();
