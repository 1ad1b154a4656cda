// bin/foobar-infra logs in ahead: the second start of a command opens the logins its last run made while the playbook
// loads, the run takes each over (one login per host), and a login the run does not need is closed unused.
import { readFileSync, writeFileSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { LoginTarget } from "../../lib/connection/logins-ahead.ts";
import { cliSite } from "./support/cli-site.ts";

const site = await cliSite("logins-ahead-", ["alpha", "beta"]);
test.after(() => site.close());

const loginsOf = (host: string) => site.servers[host]!.logins;

/** This site's one record (the files playbook, no options but -i), as the launcher reads it. */
function record(): { file: string; targets: LoginTarget[] } {
  const files = site.loginRecords();
  assert.is(files.length, 1, `one record: ${files.join(", ")}`);
  return { file: files[0]!, targets: JSON.parse(readFileSync(files[0]!, "utf8")).targets };
}

test("the first run records its logins; the next start logs in ahead and the run takes them over: one login per host, running its commands", async () => {
  const first = await site.cli("files", []);
  assert.is(first.code, 0, first.stdout + first.stderr);
  const { targets } = record();
  assert.equal(targets.map((target) => target.host.name).sort(), ["alpha", "beta"]);
  for (const { host } of targets) {
    assert.equal(host.vars, {}, "no host vars in the record");
    assert.is(host.ssh.becomePassword, undefined, "no become password in the record");
  }
  const before = { alpha: loginsOf("alpha").length, beta: loginsOf("beta").length };
  const second = await site.cli("files", []);
  assert.is(second.code, 0, second.stdout + second.stderr);
  for (const host of ["alpha", "beta"] as const) {
    const logins = loginsOf(host).slice(before[host]);
    assert.is(logins.length, 1, `${host}: the login started ahead is the run's own, not a second one`);
    assert.ok(logins[0]!.commands > 0, `${host}: the run's commands ran on it`);
  }
});

test("a recorded login the run does not make (another host name, the same server) is started, closed unused, and the run goes on", async () => {
  const { file, targets } = record();
  const alpha = targets.find((target) => target.host.name === "alpha")!;
  writeFileSync(file, JSON.stringify({ targets: [...targets, { ...alpha, host: { ...alpha.host, name: "ghost" } }] }));
  const before = loginsOf("alpha").length;
  const run = await site.cli("files", []);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const logins = loginsOf("alpha").slice(before);
  assert.equal(logins.map((login) => login.commands > 0).sort(), [false, true], "the run's login and ghost's, unused");
  assert.equal(
    record()
      .targets.map((target) => target.host.name)
      .sort(),
    ["alpha", "beta"],
    "the record is the run's",
  );
});

test("a login ahead that the host hung up on is made again by the run: exit 0, the second login runs the commands", async () => {
  record();
  site.servers.beta!.hangUpOnNext(1);
  const before = loginsOf("beta").length;
  const run = await site.cli("files", []);
  assert.is(run.code, 0, run.stdout + run.stderr);
  const logins = loginsOf("beta").slice(before);
  assert.is(logins.length, 1, "the hung-up attempt never became a login; the run's own did");
  assert.ok(logins[0]!.commands > 0);
});

test("a recorded login that never completes (a host that accepts TCP and says nothing) is abandoned when the run ends", async () => {
  const silent: Socket[] = [];
  const server = createServer((socket) => silent.push(socket));
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const port = (server.address() as { port: number }).port;
  try {
    const { file, targets } = record();
    const alpha = targets.find((target) => target.host.name === "alpha")!;
    const mute = {
      ...alpha,
      host: { ...alpha.host, name: "mute", ssh: { ...alpha.host.ssh, port, connectTimeoutMs: 600_000 } },
    };
    writeFileSync(file, JSON.stringify({ targets: [...targets, mute] }));
    // Without the abandon the run's process waits for the 10-minute login timeout; killed after 2 minutes, it fails.
    const run = await site.cli("files", [], { killAfterMs: 120_000 });
    assert.is(run.code, 0, run.stdout + run.stderr);
    assert.is(silent.length, 1, "the login to the silent host was started");
  } finally {
    for (const socket of silent) socket.destroy();
    server.close();
  }
});

test.run();
