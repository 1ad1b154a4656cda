// `drift.ts --install-timer`'s units: the oneshot service (as the installing user under root, drift and unreachable
// not failures) and its timer, a span refused unless systemd's number-and-unit; written to a scratch unit directory
// (for environment "unit": a mutant that writes to /etc/systemd/system as root replaces no real timer).
import { readdirSync, readFileSync } from "node:fs";
import { userInfo } from "node:os";
import { dirname, join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { driftUnits, installDriftTimer, timerName } from "../../lib/cli/drift-timer.ts";
import { InputError } from "../../lib/errors.ts";
import { scratchDir } from "./support/scratch.ts";

const PATH = `Environment=PATH=${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

test("the service runs the drift check from the checkout, as the user for system units; the timer every span", () => {
  const timer = { environment: "lab", every: "15m", repoRoot: "/srv/infra" };
  const service = (user: string[]) =>
    [
      "[Unit]",
      "Description=foobar-infra drift check of lab, published to the site's Prometheus",
      "",
      "[Service]",
      "Type=oneshot",
      ...user,
      "WorkingDirectory=/srv/infra",
      PATH,
      "ExecStart=/srv/infra/bin/foobar-infra drift -i lab",
      "SuccessExitStatus=2 3",
      "",
    ].join("\n");
  const timerUnit = [
    "[Unit]",
    "Description=Run foobar-drift-lab.service every 15m",
    "",
    "[Timer]",
    "OnBootSec=15m",
    "OnUnitActiveSec=15m",
    "Persistent=true",
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
  assert.equal(driftUnits(timer, { name: "ops", system: true }), { service: service(["User=ops"]), timer: timerUnit });
  assert.equal(driftUnits(timer, { name: "ops", system: false }), { service: service([]), timer: timerUnit });
  assert.is(timerName("production"), "foobar-drift-production");
});

test("a span is a number and s, m, h or d, nothing else", () => {
  const user = { name: "ops", system: false };
  for (const every of ["30s", "15m", "2h", "1d", "10m"])
    assert.not.throws(() => driftUnits({ environment: "lab", every, repoRoot: "/r" }, user));
  for (const every of ["15", "m", "0m", "015m", "15 m", "15min", "x15m", "15mx", "-5m", ""])
    assert.throws(
      () => driftUnits({ environment: "lab", every, repoRoot: "/r" }, user),
      (error: Error) =>
        error instanceof InputError &&
        error.message === `drift.ts --every: a number and s, m, h or d (such as 15m), not "${every}"`,
      every,
    );
});

test("with a unit directory: both units written there, the enable command printed, systemctl not run", () => {
  const dir = join(scratchDir("drift-timer-"), "units");
  const self = userInfo();
  const system = self.uid === 0;
  const lines = installDriftTimer({ environment: "unit", every: "1h", repoRoot: "/srv/infra", unitDir: dir });
  assert.equal(lines, [
    `wrote ${join(dir, "foobar-drift-unit.service")} and foobar-drift-unit.timer (every 1h, as ${self.username})`,
    `enable it with: systemctl ${system ? "" : "--user "}enable --now foobar-drift-unit.timer`,
  ]);
  assert.equal(readdirSync(dir).sort(), ["foobar-drift-unit.service", "foobar-drift-unit.timer"]);
  const units = driftUnits(
    { environment: "unit", every: "1h", repoRoot: "/srv/infra" },
    { name: self.username, system },
  );
  assert.is(readFileSync(join(dir, "foobar-drift-unit.service"), "utf8"), units.service);
  assert.is(readFileSync(join(dir, "foobar-drift-unit.timer"), "utf8"), units.timer);
});

test.run();
