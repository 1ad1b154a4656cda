// Secrets never reach any output channel: human (-vv, --diff), NDJSON, errors, scripts shown.
import { inspect } from "node:util";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { fakeConnector, shellOf, type FakeLog, type SnippetHandler } from "../../lib/testing/fake-transport.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { humanReporter } from "../../lib/report/human.ts";
import { ndjsonReporter } from "../../lib/report/ndjson.ts";
import { fanOut } from "../../lib/report/events.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { runPlaybook } from "../../lib/runner/run.ts";
import { Secret, secret } from "../../lib/secret.ts";
import { command } from "../../lib/resources/command.ts";
import { connectorFor, fakeInventory, newHosts } from "./support/kv-host.ts";
import { recorder } from "./support/run.ts";
import { run } from "../../lib/cli/main.ts";
import { exitWith } from "../../lib/cli/steps.ts";
import { RoleVars, SecretVar, Type } from "../../lib/dsl/role-vars.ts";
import { MARIADB } from "../../roles/mysql_common/flavor.ts";
import { sqlScript } from "../../roles/mysql_common/sql-script.ts";
import { withDecodedBase64 } from "./support/base64-runs.ts";

const PLAIN_PASSWORD = "Tr0ub4dor&3-horse";
const PASSWORD = PLAIN_PASSWORD;

const role = defineRole({
  name: "app",
  dir: `${import.meta.dirname}/fixtures`,
  schema: RoleVars({
    user: Type.String({ default: "foobar", description: "Account name." }),
    password: SecretVar({ description: "Its password." }),
  }),
  tasks: ({ r, vars }) => [
    r.template("/etc/foobar/app.env", "app.env.ejs", { mode: "0600" }),
    r.file("/etc/foobar/notes", `password is ${vars.password.reveal()}\n`),
    command("set password on stdin", sqlScript(MARIADB, `ALTER USER app IDENTIFIED BY '${vars.password.reveal()}';`), {
      unless: "false",
    }),
    command(
      "set password",
      `mysql -e "ALTER USER app IDENTIFIED BY '${vars.password.reveal()}'" && echo FAILME ${vars.password.reveal()}`,
      { unless: "false" },
    ),
  ],
});

/** A secret with a double quote, a backslash, a single quote and a dollar: each output escapes it its own way. */
const QUOTED_PASSWORD = `Qu"ot\\ed'pa$$word-7`;

async function runWith(
  json: boolean,
  PASSWORD = PLAIN_PASSWORD,
): Promise<{ text: string; log: FakeLog; exitCode: number }> {
  let text = "";
  const write = (chunk: string) => {
    text += chunk;
  };
  const log: FakeLog = { execs: [] };
  const handler: SnippetHandler = (request) => {
    const snippet = shellOf(request) ?? "";
    if (request.kind === "probe")
      return {
        output: snippet.includes("needed")
          ? "needed\n"
          : "file root root 600 20\n" +
            "0".repeat(64) +
            "\n" +
            Buffer.from(`DB_PASSWORD=old-${PASSWORD}\n`).toString("base64") +
            "\n",
        status: 0,
      };
    return snippet.includes("FAILME")
      ? { output: `ERROR 1045: access denied for app using password ${PASSWORD}`, status: 1 }
      : { output: "", status: 0 };
  };
  process.env.FOOBAR_SECRET_APP_DB = PASSWORD;
  const inventory = fakeInventory(["web-1"], { vars: { app: { password: secret("app_db") } } });
  const reporter = json
    ? ndjsonReporter(2, write)
    : fanOut(humanReporter({ verbosity: 2, color: false, live: false, write }));
  const result = await runPlaybook(definePlaybook("mask", [{ name: "p", hosts: "web", roles: [role] }]), {
    inventory,
    environment: "test",
    check: false,
    diff: true,
    forks: 1,
    reporter,
    connect: fakeConnector({ "web-1": handler }, log),
    connectFresh: fakeConnector({ "web-1": handler }, log),
    repoRoot: process.cwd(),
    factsDir: null,
  });
  delete process.env.FOOBAR_SECRET_APP_DB;
  return { text, log, exitCode: result.exitCode };
}

test("human output with -vv and --diff never shows the secret", async () => {
  const { text, log, exitCode } = await runWith(false);
  assert.is(exitCode, 1);
  assert.ok(
    log.execs.some((exec) => withDecodedBase64(exec.stdin).includes(PASSWORD)),
    "the secret did reach the host",
  );
  assert.ok(
    withDecodedBase64(log.execs.map((exec) => exec.stdin).join("\n")).includes(`IDENTIFIED BY '${PASSWORD}';`),
    "the SQL reached the host base64-encoded",
  );
  assert.not.ok(withDecodedBase64(text).includes(PASSWORD), "the secret is in the output, plain or base64-encoded");
  assert.match(text, /content hidden: sensitive/);
  assert.match(text, /access denied for app using password \*{8}/);
  assert.match(text, /IDENTIFIED BY '\*{8}'/, "-vv shows the script, masked");
  assert.match(text, /\[\d+ bytes\]/, "here-document bodies are not shown");
});

test("NDJSON events never carry the secret", async () => {
  const { text } = await runWith(true);
  const events = text
    .trim()
    .split("\n")
    .map((line) => JSON.parse(line));
  assert.ok(events.some((event) => event.type === "recap"));
  const scripts = events
    .filter((event) => event.type === "command")
    .map((event) => event.script as string)
    .join("\n");
  assert.not.ok(
    withDecodedBase64(`${text}\n${scripts}`).includes(PASSWORD),
    "the secret is in an event, plain or base64-encoded",
  );
  assert.ok(text.includes("********"));
});

test("a Secret prints as the mask in every conversion", () => {
  const value = new Secret("x", "another-secret-99");
  assert.is(`${value}`, "********");
  assert.is(JSON.stringify({ value }), '{"value":"********"}');
  assert.not.ok(inspect(value).includes("another"));
});

/** What console.error printed while `act` ran; process.exitCode is reset after. */
async function errorLines(act: () => Promise<unknown>): Promise<string> {
  let printed = "";
  const { error } = console;
  console.error = (...parts: unknown[]) => {
    printed += `${parts.join(" ")}\n`;
  };
  try {
    await act();
  } finally {
    console.error = error;
    process.exitCode = 0;
  }
  return printed;
}

test("the CLI's run() error line: a role error quoting a secret's value prints ******** in its place, exit 4", async () => {
  const quoting = defineRole({
    name: "app",
    dir: import.meta.dirname,
    schema: RoleVars({ password: SecretVar({ description: "Its password." }) }),
    tasks: ({ vars }) => {
      throw new Error(`cannot use password ${vars.password.reveal()}`);
    },
  });
  process.env.FOOBAR_SECRET_APP_DB = PASSWORD;
  let code = -1;
  const printed = await errorLines(async () => {
    code = await run(
      definePlaybook("mask", [{ name: "p", hosts: "web", roles: [quoting] }]),
      fakeInventory(["web-1"], { vars: { app: { password: secret("app_db") } } }),
      ["-i", "test"],
      { connect: connectorFor(newHosts(["web-1"]), { execs: [] }), reporter: recorder(), factsDir: null },
    );
  }).finally(() => delete process.env.FOOBAR_SECRET_APP_DB);
  assert.is(code, 4, printed);
  assert.not.ok(printed.includes(PASSWORD), "the secret's value is on the error line");
  assert.ok(printed.includes("role app: cannot use password ********"), printed);
});

test("exitWith's error line (deploy, failover, secrets, graph, reference): an error quoting a secret's value prints ******** in its place", async () => {
  const value = new Secret("step", "step-secret-value-37").reveal();
  const printed = await errorLines(async () => {
    exitWith(Promise.reject(new Error(`step failed with ${value}`)));
    await new Promise((done) => setImmediate(done));
    assert.is(process.exitCode, 1, "a plain error exits 1");
  });
  assert.not.ok(printed.includes(value), "the secret's value is on the error line");
  assert.is(printed, "error: step failed with ********\n");
});

test("a secret with \", \\, ' and $ is masked in every form: human -vv --diff, and --json", async () => {
  const forms = [
    QUOTED_PASSWORD,
    JSON.stringify(QUOTED_PASSWORD).slice(1, -1),
    QUOTED_PASSWORD.replace(/'/g, "'\\''"),
    QUOTED_PASSWORD.replace(/\\/g, "\\\\").replace(/'/g, "\\'"),
  ];
  for (const json of [false, true]) {
    const { text, log } = await runWith(json, QUOTED_PASSWORD);
    assert.ok(
      log.execs.some((exec) => withDecodedBase64(exec.stdin).includes(QUOTED_PASSWORD)),
      "the secret did reach the host",
    );
    const shown = withDecodedBase64(text);
    for (const form of forms)
      assert.not.ok(shown.includes(form), `${json ? "--json" : "human"} output shows the secret as ${form}`);
    assert.match(text, /\*{8}/);
    if (json) for (const line of text.trim().split("\n")) JSON.parse(line); // every event still parses
  }
});

test.run();
