// --persist: later runs reuse each host's OpenSSH login (ControlPersist), converge the same, and safety checks still open a new login.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { capture } from "../../lab/run-command.ts";
import { controlDir } from "../../lib/cli/connector.ts";
import { closeControlMasters } from "../../lib/connection/control-masters.ts";
import { converge, hosts, mustOnHost } from "./harness.ts";

// The runs' control sockets go to a directory of this test's own (the runner puts them under XDG_RUNTIME_DIR).
const runtime = mkdtempSync(join(tmpdir(), "persist-test-"));
const previousRuntime = process.env.XDG_RUNTIME_DIR;
process.env.XDG_RUNTIME_DIR = runtime;
const sockets = () =>
  readdirSync(controlDir(), { withFileTypes: true })
    .filter((entry) => entry.isSocket())
    .map((entry) => join(controlDir(), entry.name));

/** The pid of the master behind `socket`, from `ssh -O check`. */
async function masterPid(socket: string): Promise<string> {
  const check = await capture("ssh", ["-o", `ControlPath=${socket}`, "-O", "check", "unused"]);
  const pid = /pid=(\d+)/.exec(check.stderr)?.[1];
  assert.ok(pid, `no master behind ${socket}: ${check.stderr}`);
  return pid!;
}

test.after(() => {
  closeControlMasters(controlDir());
  const left = sockets();
  if (previousRuntime === undefined) delete process.env.XDG_RUNTIME_DIR;
  else process.env.XDG_RUNTIME_DIR = previousRuntime;
  rmSync(runtime, { recursive: true, force: true });
  assert.equal(left, [], "every master exited");
});

test("a second --persist run reuses every host's login (same master) and changes nothing", async () => {
  const first = await converge("site", ["--persist", "60"]);
  assert.is(first.exitCode, 0, first.output);
  assert.is(sockets().length, hosts.hosts.length, "one master per host");
  const masters = await Promise.all(sockets().map(masterPid));
  const second = await converge("site", ["--persist", "60"]);
  assert.is(second.exitCode, 0, second.output);
  assert.is(second.changed, 0, second.changedTasks.join("\n"));
  assert.equal(await Promise.all(sockets().map(masterPid)), masters, "the same masters served the second run");
});

test("with --persist the firewall's safety check still opens a new login: a lockout is rolled back", async () => {
  const before = await mustOnHost("db-02", "ufw status");
  const locked = await converge("test/lab/playbooks/ufw-lockout.ts", ["-l", "db-02", "--persist", "60"]);
  assert.is(locked.exitCode, 1, locked.output);
  assert.match(locked.output, /a new SSH connection failed after it was applied .*\(rolled back\)/);
  assert.is(await mustOnHost("db-02", "ufw status"), before);
});

test("with --persist an sshd change that would lock new logins out is rolled back: the run exits 1 and says so", async () => {
  const before = await mustOnHost("db-02", "sshd -T | sort");
  const locked = await converge("test/lab/playbooks/sshd-lockout.ts", ["-l", "db-02", "--persist", "60"]);
  assert.is(locked.exitCode, 1, locked.output);
  assert.match(
    locked.output,
    /sshd change refused: a new SSH login as the converge's user failed after the reload .*\(rolled back\)/,
  );
  assert.is(await mustOnHost("db-02", "sshd -T | sort"), before, "the drop-in in force before is back");
  const again = await converge("site", ["-l", "db-02", "--check", "--persist", "60"]);
  assert.is(again.exitCode, 0, again.output);
});

test("drift made behind a kept login is found and repaired like any other", async () => {
  await mustOnHost("web-01", "rm /etc/nginx/sites-enabled/foobar");
  const repaired = await converge("site", ["-l", "web-01", "--persist", "60"]);
  assert.is(repaired.exitCode, 0, repaired.output);
  assert.ok(
    repaired.changedTasks.some((task) => task.includes("symlink:/etc/nginx/sites-enabled/foobar")),
    repaired.changedTasks.join("\n"),
  );
  const again = await converge("site", ["-l", "web-01", "--persist", "60"]);
  assert.is(again.changed, 0, again.changedTasks.join("\n"));
});

test.run();
