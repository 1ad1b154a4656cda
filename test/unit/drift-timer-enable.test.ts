// `drift.ts --install-timer` without a unit directory, as a user other than root: the user units written under
// ~/.config/systemd/user and enabled with `systemctl --user` (a fake one on PATH), its failure reported with its stderr.
import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { syncBuiltinESMExports } from "node:module";
import os from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { driftUnits, installDriftTimer } from "../../lib/cli/drift-timer.ts";
import { scratchDir } from "./support/scratch.ts";

const scratch = scratchDir("drift-timer-enable-");
/** The fake systemctl: notes its arguments in $HOME/systemctl-calls; fails as a user without a bus when told to. */
writeFileSync(
  join(scratch, "systemctl"),
  `#!/bin/sh\necho "$*" >> "$HOME/systemctl-calls"\n[ -z "$FAKE_SYSTEMCTL_FAILS" ] || { echo " bus down " >&2; exit 1; }\n`,
);
chmodSync(join(scratch, "systemctl"), 0o755);

/** installDriftTimer as the user "ops" (uid 1000: os.userInfo replaced) with HOME `home` and the fake systemctl first
 * on PATH; what it returned or threw, and what it wrote on stderr itself. */
function installAsOps(
  home: string,
  { failing = false, unitDir }: { failing?: boolean; unitDir?: string } = {},
): { lines?: string[]; error?: string; stderr: string } {
  const { userInfo } = os;
  const saved = { HOME: process.env.HOME, PATH: process.env.PATH };
  const { write } = process.stderr;
  let stderr = "";
  os.userInfo = ((options?: object) => ({ ...userInfo(options), uid: 1000, username: "ops" })) as typeof os.userInfo;
  syncBuiltinESMExports();
  process.env.HOME = home;
  process.env.PATH = `${scratch}:${saved.PATH}`;
  if (failing) process.env.FAKE_SYSTEMCTL_FAILS = "1";
  process.stderr.write = (chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  };
  try {
    return { lines: installDriftTimer({ environment: "unit", every: "15m", repoRoot: "/srv/infra", unitDir }), stderr };
  } catch (error) {
    return { error: (error as Error).message, stderr };
  } finally {
    process.stderr.write = write;
    os.userInfo = userInfo;
    syncBuiltinESMExports();
    Object.assign(process.env, saved);
    delete process.env.FAKE_SYSTEMCTL_FAILS;
  }
}

const wrote = (home: string) =>
  `wrote ${join(home, ".config/systemd/user/foobar-drift-unit.service")} and foobar-drift-unit.timer (every 15m, as ops)`;

test("a user's timer: its units under ~/.config/systemd/user, daemon-reload then enable --now, both --user", () => {
  const home = join(scratch, "enabled");
  assert.equal(installAsOps(home), {
    lines: [
      wrote(home),
      "enabled foobar-drift-unit.timer (a user timer runs while you are logged in, unless: loginctl enable-linger)",
    ],
    stderr: "",
  });
  const dir = join(scratch, "enabled", ".config", "systemd", "user");
  const expected = driftUnits(
    { environment: "unit", every: "15m", repoRoot: "/srv/infra" },
    { name: "ops", system: false },
  );
  assert.is(readFileSync(join(dir, "foobar-drift-unit.service"), "utf8"), expected.service);
  assert.is(readFileSync(join(dir, "foobar-drift-unit.timer"), "utf8"), expected.timer);
  assert.is(
    readFileSync(join(home, "systemctl-calls"), "utf8"),
    "--user daemon-reload\n--user enable --now foobar-drift-unit.timer\n",
  );
});

test("systemctl failing: an error saying what was written and systemctl's stderr, trimmed; nothing printed by the way", () => {
  const home = join(scratch, "failing");
  assert.equal(installAsOps(home, { failing: true }), {
    error: `${wrote(home)}, but systemctl could not enable foobar-drift-unit.timer: bus down`,
    stderr: "",
  });
});

test("with a unit directory, as a user: the units written there and the enable command with --user, systemctl not run", () => {
  const home = join(scratch, "unit-dir");
  const unitDir = join(home, "units");
  assert.equal(installAsOps(home, { unitDir }), {
    lines: [
      `wrote ${join(unitDir, "foobar-drift-unit.service")} and foobar-drift-unit.timer (every 15m, as ops)`,
      "enable it with: systemctl --user enable --now foobar-drift-unit.timer",
    ],
    stderr: "",
  });
  assert.not.ok(existsSync(join(home, "systemctl-calls")));
});

test.run();
