// pyinfra-style fixtures: resource arguments + recorded probe output in, planned changes and commands out.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import { serviceAction } from "../../lib/resources/service.ts";
import * as assert from "uvu/assert";
import { command } from "../../lib/resources/command.ts";
import { directory } from "../../lib/resources/directory.ts";
import { file } from "../../lib/resources/file.ts";
import { line } from "../../lib/resources/line.ts";
import { packages } from "../../lib/resources/package.ts";
import type { Resource } from "../../lib/resources/resource.ts";
import { service } from "../../lib/resources/service.ts";
import { serviceFresh } from "../../lib/resources/service-fresh.ts";
import { symlink } from "../../lib/resources/symlink.ts";
import { user } from "../../lib/resources/user.ts";

interface Fixture {
  resource: string;
  args: unknown[];
  probe: string;
  status?: number;
  changes: string[];
  /** Exact apply script, or null when nothing is to be done. */
  commands?: string | null;
  /** Fragments the apply script must contain (for long scripts). */
  commandsContain?: string[];
}

/** JSON cannot hold a RegExp: option "regexp" strings become RegExps. */
function revive(args: unknown[]): unknown[] {
  return args.map((arg) =>
    arg && typeof arg === "object" && "regexp" in arg
      ? { ...arg, regexp: new RegExp((arg as { regexp: string }).regexp) }
      : arg,
  );
}

const factories: Record<string, (...args: any[]) => Resource<any>> = {
  service,
  serviceFresh,
  package: packages,
  file,
  directory,
  symlink,
  user,
  command,
  line,
};
const dir = join(import.meta.dirname, "fixtures", "resources");

for (const name of readdirSync(dir)
  .filter((entry) => entry.endsWith(".json"))
  .sort()) {
  test(name, () => {
    const fixture = JSON.parse(readFileSync(join(dir, name), "utf8")) as Fixture;
    const resource = factories[fixture.resource]!(...revive(fixture.args));
    const state = resource.parse(fixture.probe, fixture.status ?? 0);
    const changes = resource.plan(state, { diff: false });
    assert.equal(
      changes.map((change) => change.summary),
      fixture.changes,
    );
    if (fixture.changes.length === 0) {
      assert.is(fixture.commands, null, "a no-op fixture expects no commands");
      return;
    }
    const script = resource.apply(state);
    if (fixture.commands !== undefined) assert.is(script, fixture.commands);
    for (const fragment of fixture.commandsContain ?? [])
      assert.ok(script.includes(fragment), `apply script lacks ${JSON.stringify(fragment)}:\n${script}`);
  });
}

test("handler actions apply without a probed state (the runner calls them with none)", () => {
  for (const action of ["restarted", "reloaded"] as const) {
    const script = serviceAction("prometheus", action).apply(undefined as never);
    assert.match(
      script,
      /^systemctl reset-failed prometheus 2>\/dev\/null \|\| true\nsystemctl (restart|reload-or-restart) prometheus$/,
    );
  }
});

test.run();
