// The option table is the one source: the CLI reference shows its usage text, and parsing fills every option from it.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCli } from "../../lib/cli/args.ts";
import { FLAGS, OPTIONS_USAGE } from "../../lib/cli/flags.ts";
import { InputError } from "../../lib/errors.ts";

const CLI_REFERENCE = readFileSync(join(import.meta.dirname, "../../docs/cli.md"), "utf8");

test("the CLI reference shows the usage text the table prints", () => {
  assert.ok(
    CLI_REFERENCE.includes(OPTIONS_USAGE),
    "docs/cli.md holds the option list (npx tsx playbooks/reference.ts)",
  );
});

test("every flag of the table is parsed into its option, short names included", () => {
  const options = parseCli([
    "-i",
    "lab",
    "-l",
    "web-*",
    "-t",
    "nginx, app",
    "--skip-tags",
    "db",
    "-C",
    "-D",
    "-f",
    "3",
    "--json",
    "-vv",
    "--accept-new-host-keys",
    "--timeout",
    "60",
    "--persist",
    "30",
    "--no-wait",
    "--profile",
    "--list-hosts",
    "-h",
  ]);
  const { extra, ...fields } = options;
  assert.equal(Object.keys(fields).sort(), Object.keys(FLAGS).sort(), "one option per flag");
  assert.equal(fields, {
    environment: "lab",
    limit: "web-*",
    tags: ["nginx", "app"],
    skipTags: ["db"],
    check: true,
    diff: true,
    forks: 3,
    json: true,
    verbosity: 2,
    acceptNewHostKeys: true,
    timeoutSeconds: 60,
    persistSeconds: 30,
    noWait: true,
    profile: true,
    listHosts: true,
    help: true,
  });
  assert.equal(extra, {});
});

test("defaults, a playbook's own options, and bad values named by their flag", () => {
  const options = parseCli(["--build", "dist"], {
    name: "deploy.ts",
    honours: "all",
    extra: { build: { type: "string" } },
  });
  assert.is(options.environment, "production");
  assert.is(options.forks, 50);
  assert.is(options.timeoutSeconds, 900);
  assert.is(options.verbosity, 0);
  assert.equal(options.extra, { build: "dist" });
  assert.throws(
    () => parseCli(["--forks", "0"]),
    (error: unknown) =>
      error instanceof InputError && /--forks must be a positive integer, found "0"/.test(error.message),
  );
  assert.throws(
    () => parseCli(["--nope"]),
    (error: unknown) => error instanceof InputError && /--nope/.test(error.message),
  );
});

test.run();
