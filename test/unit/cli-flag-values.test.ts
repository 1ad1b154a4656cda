// The shared options' values as flags.ts reads them: positive integers, --persist's range and its FOOBAR_SSH_PERSIST
// default, comma lists trimmed and never empty, -v counted; each bad value refused with a message naming its flag, and
// a stray word or an unknown option with one naming the playbook run.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCli } from "../../lib/cli/args.ts";
import { InputError } from "../../lib/errors.ts";

/** The message parseCli refuses `argv` with (an InputError), or "(parsed)". */
function refusal(argv: string[]): string {
  try {
    parseCli(argv);
    return "(parsed)";
  } catch (error) {
    assert.instance(error, InputError);
    return (error as Error).message;
  }
}

test("--forks and --timeout: whole numbers from 1; 0, fractions, negatives and words refused", () => {
  assert.is(parseCli(["--forks", "1", "--timeout", "1"]).forks, 1);
  assert.is(parseCli(["--timeout", "1"]).timeoutSeconds, 1);
  for (const value of ["0", "1.5", "-2", "x"]) {
    assert.is(refusal([`--forks=${value}`]), `--forks must be a positive integer, found "${value}"`);
    assert.is(refusal([`--timeout=${value}`]), `--timeout must be a positive integer, found "${value}"`);
  }
});

test("--persist: whole seconds from 0 to 86400; outside, fractions and words refused", () => {
  assert.is(parseCli(["--persist", "0"]).persistSeconds, 0);
  assert.is(parseCli(["--persist", "86400"]).persistSeconds, 86_400);
  for (const value of ["-1", "86401", "1.5", "x"])
    assert.is(
      refusal([`--persist=${value}`]),
      `--persist must be whole seconds from 0 (off) to 86400, found "${value}"`,
    );
});

test("without --persist: FOOBAR_SSH_PERSIST when set, read at parse time; else 0 (off)", () => {
  const saved = process.env.FOOBAR_SSH_PERSIST;
  try {
    process.env.FOOBAR_SSH_PERSIST = "120";
    assert.is(parseCli([]).persistSeconds, 120);
    assert.is(parseCli(["--persist", "5"]).persistSeconds, 5);
    delete process.env.FOOBAR_SSH_PERSIST;
    assert.is(parseCli([]).persistSeconds, 0);
  } finally {
    if (saved === undefined) delete process.env.FOOBAR_SSH_PERSIST;
    else process.env.FOOBAR_SSH_PERSIST = saved;
  }
});

test("lists: items trimmed, empty ones dropped; all empty refused naming the flag; --limit kept as written", () => {
  assert.equal(parseCli(["-t", " a ,, b ,"]).tags, ["a", "b"]);
  assert.equal(parseCli(["--skip-tags", "db"]).skipTags, ["db"]);
  assert.is(parseCli([]).tags, undefined);
  assert.is(parseCli(["-l", " web-01 ,db-*"]).limit, " web-01 ,db-*");
  assert.is(parseCli([]).limit, undefined);
  assert.is(refusal(["-t", " , "]), '--tags is empty (" , "): name at least one, or leave --tags out');
  assert.is(refusal(["--skip-tags", ""]), '--skip-tags is empty (""): name at least one, or leave --skip-tags out');
  assert.is(refusal(["-l", ","]), '--limit is empty (","): name at least one, or leave --limit out');
});

test("-v counted: none 0, each one more", () => {
  assert.is(parseCli([]).verbosity, 0);
  assert.is(parseCli(["-v"]).verbosity, 1);
  assert.is(parseCli(["-vvv"]).verbosity, 3);
});

test("a playbook run takes no words and no option of its own: refused, the message naming the playbook run", () => {
  assert.is(
    refusal(["stray"]),
    "playbook: Unexpected argument 'stray'. This command does not take positional arguments",
  );
  assert.is(refusal(["--nope"]), "playbook: Unknown option '--nope'");
});

test.run();
