// A playbook file as a CLI, in this process (lib/cli/main.ts, cli-run.ts): its reporters as the terminal and the options
// ask (colour, live lines, the rerun hint, --profile), --list-hosts, the argv it reads, errors that are not input
// errors, and isMain's mark for the launcher.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCli } from "../../lib/cli/args.ts";
import { cliReporter, cliRunOptions, repoRoleNames } from "../../lib/cli/cli-run.ts";
import { REPO_ROOT } from "../../lib/cli/connector.ts";
import { isMain, run } from "../../lib/cli/main.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { connectorFor, fakeInventory, kv, newHosts } from "./support/kv-host.ts";
import { printed } from "./support/printed.ts";

const cli = (...argv: string[]) => parseCli(["-i", "test", ...argv]);
const ESC = "\x1b[";
/** A run of one host that failed one task, as the runner tells it. */
const failedRun: RunEvent[] = [
  { type: "start", playbook: "site", environment: "test", hosts: ["h1"], check: false },
  { type: "play", play: "p", hosts: ["h1"] },
  {
    type: "task",
    play: "p",
    host: "h1",
    id: "kv:x",
    status: "failed",
    message: "boom",
    startedAt: 1000,
    durationMs: 40,
  },
  { type: "host-play", play: "p", host: "h1", startedAt: 990, durationMs: 60 },
  {
    type: "recap",
    hosts: { h1: { ok: 0, changed: 0, failed: 1, unreachable: 0, skipped: 0 } },
    durationMs: 60,
    exitCode: 1,
    check: false,
  },
];
const report = (reporter: ReturnType<typeof cliReporter>) => {
  failedRun.forEach((event) => reporter.emit(event));
  reporter.close();
};

test("human output is coloured on a TTY unless NO_COLOR is set, plain when piped", async () => {
  const coloured = await printed(() => report(cliReporter(cli(), false)), { tty: true });
  const noColor = await printed(() => report(cliReporter(cli(), false)), { tty: true, noColor: true });
  const piped = await printed(() => report(cliReporter(cli(), false)));
  assert.ok(coloured.stdout.includes(`${ESC}31m`), coloured.stdout);
  assert.not.ok(noColor.stdout.includes(ESC), noColor.stdout);
  assert.not.ok(piped.stdout.includes(ESC), piped.stdout);
  assert.ok(piped.stdout.includes("kv:x") && piped.stdout.includes("boom"), piped.stdout);
});

test("a run of its own draws live lines on a TTY and ends with the command that reruns what failed; a command's step does neither, nor does a pipe draw", async () => {
  const live = await printed(() => report(cliReporter(cli(), true)), { tty: true, noColor: true });
  const step = await printed(() => report(cliReporter(cli(), false)), { tty: true, noColor: true });
  const piped = await printed(() => report(cliReporter(cli(), true)));
  assert.ok(live.stdout.includes("\r"), "live lines are redrawn in place");
  assert.match(live.stdout, /rerun what did not complete: .*--limit @failed/);
  assert.not.ok(step.stdout.includes("\r") || step.stdout.includes("rerun"), step.stdout);
  assert.not.ok(piped.stdout.includes("\r"), piped.stdout);
  assert.match(piped.stdout, /rerun what did not complete/);
});

test("--profile adds the profile after the run: on stdout, or on stderr under --json (stdout stays NDJSON)", async () => {
  const human = await printed(() => report(cliReporter(cli("--profile"), false)));
  const json = await printed(() => report(cliReporter(cli("--profile", "--json"), false)));
  const without = await printed(() => report(cliReporter(cli(), false)));
  assert.match(human.stdout, /\nPROFILE\n {2}slowest tasks[^\n]*\n\s+40 ?ms\s+h1\s+kv:x\s+\[p\]/);
  assert.is(human.stderr, "");
  assert.match(json.stderr, /^PROFILE\n/);
  assert.ok(
    json.stdout
      .trim()
      .split("\n")
      .every((line) => JSON.parse(line)),
  );
  assert.not.ok(without.stdout.includes("PROFILE"));
});

test("the repo's roles are the directories of roles/ with an index.ts; the facts cache is .cache/facts", () => {
  const roles = repoRoleNames();
  assert.ok(roles.includes("nginx") && roles.includes("ssh_hardening"), roles.join(" "));
  assert.ok(
    roles.every((name) => /^[a-z_]+$/.test(name)),
    roles.join(" "),
  );
  const options = cliRunOptions(cli(), fakeInventory(["h1"]), false);
  assert.is(options.factsDir, join(REPO_ROOT, ".cache", "facts"));
  assert.equal(options.knownRoles, roles);
});

const role = (task: () => Resource<string | null>) =>
  defineRole({ name: "subject", dir: import.meta.dirname, schema: RoleVars({}), tasks: () => [task()] });
const book = definePlaybook("site", [
  { name: "web", hosts: "web", roles: [role(() => kv("x", "1"))] },
  { name: "rest", hosts: "h3", roles: [role(() => ({ ...kv("y", "1"), apply: () => "fail y" }))] },
]);
const names = ["h1", "h2", "h3"];
const refuse = async (host: { name: string }) => {
  throw new Error(`connected to ${host.name}`);
};

test("--list-hosts prints each play's hosts within --limit, with their addresses, comma-separated, or 'no hosts'; it connects to none", async () => {
  const inventory = fakeInventory(names);
  let code = -1;
  const listed = await printed(async () => {
    code = await run(book, inventory, ["-i", "test", "--list-hosts", "-l", "h1,h3"], { connect: refuse });
  });
  assert.is(code, 0);
  assert.is(listed.stdout, 'play "web": h1 (10.9.0.1)\nplay "rest": h3 (10.9.0.3)\n');
  const both = await printed(() => run(book, inventory, ["-i", "test", "--list-hosts"], { connect: refuse }));
  assert.is(both.stdout, 'play "web": h1 (10.9.0.1), h2 (10.9.0.2)\nplay "rest": h3 (10.9.0.3)\n');
  const none = await printed(() =>
    run(book, inventory, ["-i", "test", "--list-hosts", "-l", "h3"], { connect: refuse }),
  );
  assert.is(none.stdout, 'play "web": no hosts\nplay "rest": h3 (10.9.0.3)\n');
});

test("run() reads process.argv after node and the script when given no argv", async () => {
  const argv = process.argv;
  process.argv = [argv[0]!, "/repo/playbooks/site.ts", "--help"];
  let code = -1;
  const help = await printed(async () => {
    code = await run(book, fakeInventory(names));
  }).finally(() => (process.argv = argv));
  assert.is(code, 0);
  assert.match(help.stdout, /^Usage: npx tsx playbooks\/site\.ts \[options\]/);
});

test("run() on the command line's own reporter: the converge's lines, the rerun hint after a failure, the run recorded in the history", async () => {
  const history = mkdtempSync(join(tmpdir(), "foobar-history-"));
  process.env.FOOBAR_RUN_HISTORY_DIR = history;
  let code = -1;
  try {
    const out = await printed(async () => {
      code = await run(book, fakeInventory(names), ["-i", "test"], {
        connect: connectorFor(newHosts(names), { execs: [] }),
        factsDir: null,
      });
    });
    assert.is(code, 1);
    assert.match(out.stdout, /^PLAYBOOK site · inventory test · 3 hosts\n/);
    assert.match(
      out.stdout,
      /\n {2}rerun what did not complete: bin\/foobar-infra site -i test --limit @failed\n {4}h3: failed: kv:y\n$/,
    );
    assert.is(readdirSync(join(history, "test")).length, 1, "one run recorded");
  } finally {
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
    rmSync(history, { recursive: true, force: true });
  }
});

test("--limit @failed after a run that completed everywhere: says there is nothing to rerun, exit 0, no connection", async () => {
  const history = mkdtempSync(join(tmpdir(), "foobar-history-"));
  process.env.FOOBAR_RUN_HISTORY_DIR = history;
  const web = definePlaybook("site", [book.plays[0]!]);
  try {
    let code = -1;
    const out = await printed(async () => {
      await run(web, fakeInventory(names), ["-i", "test"], {
        connect: connectorFor(newHosts(names), { execs: [] }),
        factsDir: null,
      });
      code = await run(web, fakeInventory(names), ["-i", "test", "--limit", "@failed"], { connect: refuse });
    });
    assert.is(code, 0);
    assert.match(
      out.stdout,
      /\n--limit @failed: nothing to rerun: the last run of site on test \(\S+, exit 0\) completed on every host\n$/,
    );
  } finally {
    delete process.env.FOOBAR_RUN_HISTORY_DIR;
    rmSync(history, { recursive: true, force: true });
  }
});

test("run(): an error that is not the input's propagates (a bug is not exit 4)", async () => {
  const reporter = {
    emit(event: RunEvent) {
      if (event.type === "start") throw new Error("reporter broke");
    },
    close() {},
  };
  await run(book, fakeInventory(names), ["-i", "test"], { connect: refuse, reporter, factsDir: null }).then(
    (code) => assert.unreachable(`exit ${code}`),
    (error: Error) => assert.is(error.message, "reporter broke"),
  );
});

test("isMain: true for the file node started, noting it for the launcher; false for another file or without one", () => {
  const MARK = Symbol.for("foobar-infra.main");
  const marks = globalThis as Record<symbol, unknown>;
  const argv = process.argv;
  const noted = marks[MARK];
  try {
    delete marks[MARK];
    process.argv = [argv[0]!, "/srv/infra/playbooks/site.ts"];
    assert.not.ok(isMain(pathToFileURL("/srv/infra/playbooks/other.ts").href));
    assert.is(marks[MARK], undefined);
    assert.ok(isMain(pathToFileURL("/srv/infra/playbooks/site.ts").href));
    assert.is(marks[MARK], "/srv/infra/playbooks/site.ts");
    delete marks[MARK];
    process.argv = [argv[0]!];
    assert.not.ok(isMain(pathToFileURL("/srv/infra/playbooks/site.ts").href));
    assert.is(marks[MARK], undefined);
  } finally {
    process.argv = argv;
    marks[MARK] = noted;
  }
});

test.run();
