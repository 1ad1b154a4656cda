// The app's socket resource: a socket that is not running is started after the app is stopped (so it can bind), and
// the plan says so; a running socket leaves the app alone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { UnitState } from "../../lib/facts/systemd.ts";
import { appSocket } from "../../roles/app/socket-resource.ts";

const socket = appSocket("foobar-app.socket", "foobar-app.service");
const unit = (active: string, unitFile: string): UnitState => ({ active, unitFile, activeSince: null });
const noDiff = { diff: false };

test("a socket not running: the plan names the app's stop; the script stops the app, then starts the socket", () => {
  const state = unit("inactive", "disabled");
  assert.equal(
    socket.plan(state, noDiff).map((change) => change.summary),
    ["enable (was disabled)", "start (was inactive), after stopping foobar-app.service"],
  );
  const script = socket.apply(state);
  const stop = script.indexOf("systemctl stop foobar-app.service");
  const start = script.indexOf("systemctl start foobar-app.socket");
  assert.ok(stop >= 0 && start > stop, script);
});

test("a running socket that is only disabled: enabled, the app not stopped", () => {
  const state = unit("active", "disabled");
  assert.equal(
    socket.plan(state, noDiff).map((change) => change.summary),
    ["enable (was disabled)"],
  );
  assert.not.match(socket.apply(state), /systemctl stop/);
});

test("a running, enabled socket: nothing to do", () => {
  assert.equal(socket.plan(unit("active", "enabled"), noDiff), []);
});

test.run();
