// Every shared option on every command is honoured or refused with exit 4, never ignored; empty and misspelt input
// is an error, never "everything" or a silent nothing.
import { test } from "uvu";
import * as assert from "uvu/assert";
import inventory from "../../hosts.ts";
import { parseCli, PLAYBOOK_RUN, type CommandOptions, type FlagName } from "../../lib/cli/args.ts";
import { FLAGS } from "../../lib/cli/flags.ts";
import { run } from "../../lib/cli/main.ts";
import { REPORT_COMMAND, reportCommand } from "../../lib/cli/report-command.ts";
import { RUNS_COMMAND, runsCommand } from "../../lib/cli/runs-command.ts";
import { secretsCommand, secretsCommandOptions } from "../../lib/cli/secrets-command.ts";
import { exitCodeOf, stepRunOptions } from "../../lib/cli/steps.ts";
import { DEPLOY_COMMAND, DEPLOY_HELP, deploy } from "../../playbooks/deploy.ts";
import { DRIFT_COMMAND, DRIFT_HELP, drift } from "../../playbooks/drift.ts";
import { FAILOVER_COMMAND, FAILOVER_HELP, failover } from "../../playbooks/failover.ts";
import { GRAPH_COMMAND, graph } from "../../playbooks/graph.ts";
import { REFERENCE_COMMAND, reference } from "../../playbooks/reference.ts";
import { secretsSite } from "../../playbooks/secrets.ts";
import { site } from "../../playbooks/site.ts";

/** A value each string flag accepts against the lab inventory. */
const SAMPLE: Record<string, string> = {
  inventory: "lab",
  limit: "web-01",
  tags: "app",
  "skip-tags": "nginx",
  forks: "2",
  timeout: "30",
  persist: "5",
};

const argvOf = (field: FlagName) => {
  const { long, type } = FLAGS[field];
  return type === "string" ? [`--${long}`, SAMPLE[long]!] : [`--${long}`];
};

interface Command {
  options: CommandOptions;
  /** Run the command in this process with these options; its exit code. */
  run(argv: string[]): Promise<number>;
}

const SECRETS_WORDS: Record<string, string[]> = {
  identity: ["identity"],
  list: ["list"],
  set: ["set", "db_app_password"],
  edit: ["edit"],
  recipients: ["recipients"],
  rotate: ["rotate", "db_app_password"],
};

const COMMANDS: Command[] = [
  { options: { ...PLAYBOOK_RUN, name: "site.ts" }, run: (argv) => run(site, inventory, argv) },
  { options: DEPLOY_COMMAND, run: deploy },
  { options: FAILOVER_COMMAND, run: (argv) => failover(["--promote", "db-02", ...argv]) },
  { options: DRIFT_COMMAND, run: drift },
  { options: GRAPH_COMMAND, run: graph },
  { options: REFERENCE_COMMAND, run: reference },
  { options: RUNS_COMMAND, run: (argv) => runsCommand(inventory, argv) },
  { options: REPORT_COMMAND, run: (argv) => reportCommand(inventory, ["-o", "/dev/null", ...argv]) },
  ...Object.entries(SECRETS_WORDS).map(([word, words]) => ({
    options: secretsCommandOptions(word),
    run: (argv: string[]) => secretsCommand(secretsSite, [...words, ...argv]),
  })),
];

/** The command's exit code and what it printed on stderr (run() prints its own error; the others throw). */
async function outcome(command: Command, argv: string[]): Promise<{ code: number; stderr: string; stdout: string }> {
  const printed = { stderr: "", stdout: "" };
  const { error, log } = console;
  console.error = (...parts: unknown[]) => {
    printed.stderr += `${parts.join(" ")}\n`;
  };
  console.log = (...parts: unknown[]) => {
    printed.stdout += `${parts.join(" ")}\n`;
  };
  try {
    const code = await command.run(argv).catch((thrown: Error) => {
      printed.stderr += thrown.message;
      return exitCodeOf(thrown);
    });
    return { code, ...printed };
  } finally {
    Object.assign(console, { error, log });
    process.exitCode = 0;
  }
}

const honours = (options: CommandOptions, field: FlagName) =>
  field === "help" || options.honours === "all" || options.honours.includes(field);

test("a shared option a command does not honour is refused with exit 4 naming it, before anything runs", async () => {
  let refused = 0;
  for (const command of COMMANDS) {
    for (const field of Object.keys(FLAGS) as FlagName[]) {
      if (honours(command.options, field)) continue;
      const { code, stderr } = await outcome(command, argvOf(field));
      assert.is(code, 4, `${command.options.name} ${argvOf(field).join(" ")}: ${stderr}`);
      assert.ok(
        stderr.includes(`${command.options.name}: --${FLAGS[field].long} is not supported: `),
        `${command.options.name} --${FLAGS[field].long}: ${stderr}`,
      );
      refused++;
    }
  }
  assert.ok(refused > 50, `the table refuses options somewhere (${refused})`);
});

test("every option a command honours is parsed, and a command's playbook steps run with it", () => {
  for (const command of COMMANDS) {
    for (const field of Object.keys(FLAGS) as FlagName[]) {
      if (!honours(command.options, field)) continue;
      const cli = parseCli(argvOf(field), command.options);
      assert.is.not(cli[field], parseCli([], command.options)[field], `${command.options.name} --${FLAGS[field].long}`);
    }
  }
  // What deploy, failover and secrets rotate pass each step: every option as given, limit and tags only narrowed.
  const given = parseCli([
    "-C",
    "-D",
    "--skip-tags",
    "nginx",
    "--json",
    "-vv",
    "--profile",
    "--no-wait",
    "--persist",
    "5",
  ]);
  const step = stepRunOptions(given, inventory, "web-01", ["app"]);
  for (const field of [
    "check",
    "diff",
    "skipTags",
    "json",
    "verbosity",
    "profile",
    "noWait",
    "persistSeconds",
  ] as const)
    assert.equal((step as unknown as Record<string, unknown>)[field], given[field], field);
  assert.is(step.limit, "web-01");
  assert.equal(step.tags, ["app"]);
  assert.ok(step.connectFresh, "a step's lockout check logs in afresh, also under --persist");
});

test("--help works on every command", async () => {
  for (const command of COMMANDS) {
    const { code, stdout } = await outcome(command, ["--help"]);
    assert.is(code, 0, command.options.name);
    assert.match(stdout, /Usage: /, command.options.name);
  }
});

test("-i is read by every command that takes it: a misspelt environment is exit 4 with the closest one", async () => {
  for (const command of COMMANDS.filter((item) => honours(item.options, "environment"))) {
    const { code, stderr } = await outcome(command, ["-i", "labb"]);
    assert.is(code, 4, command.options.name);
    assert.match(stderr, /unknown inventory "labb"; did you mean "lab"\?/, command.options.name);
  }
});

test("an empty --limit, --tags or --skip-tags is an error, not every host or no filter", () => {
  for (const long of ["limit", "tags", "skip-tags"])
    for (const value of ["", " , "])
      assert.throws(
        () => parseCli([`--${long}`, value]),
        (error: Error) => error.message.includes(`--${long} is empty`),
      );
});

test("deploy --list-hosts names the web hosts it would roll and the load balancers that drain them", async () => {
  const deployCommand = COMMANDS[1]!;
  const { code, stdout } = await outcome(deployCommand, ["-i", "lab", "--list-hosts", "-l", "web-02"]);
  assert.is(code, 0);
  assert.is(
    stdout,
    "web hosts, one at a time: web-02 (192.168.56.12)\ndrained on the load balancers: lb-01 (192.168.56.10), lb-02 (192.168.56.9)\n",
  );
});

test("a command's --help lists the shared options it takes and none it refuses", () => {
  for (const [help, command] of [
    [DEPLOY_HELP, DEPLOY_COMMAND],
    [FAILOVER_HELP, FAILOVER_COMMAND],
    [DRIFT_HELP, DRIFT_COMMAND],
  ] as const) {
    const listed = (Object.keys(FLAGS) as FlagName[]).filter((field) =>
      new RegExp(`^ {2}(-[a-zA-Z], |    )--${FLAGS[field].long}\\b`, "m").test(help),
    );
    const taken = (Object.keys(FLAGS) as FlagName[]).filter(
      (field) => field === "help" || (command.honours as readonly FlagName[]).includes(field),
    );
    assert.equal(listed, taken, command.name);
  }
});

test.run();
