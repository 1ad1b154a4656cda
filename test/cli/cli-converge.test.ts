// A converge through bin/foobar-infra, over SSH to two loopback hosts, with each shared option a run takes: the
// fixture playbook (test/cli/playbooks/files.ts) writes files only under a scratch directory, as an unprivileged account.
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { RunEvent } from "../../lib/report/events.ts";
import { cliSite } from "./support/cli-site.ts";

const site = await cliSite("cli-converge-", ["alpha", "beta"]);
test.after(() => site.close());

type HostPlay = Extract<RunEvent, { type: "host-play" }>;
type Task = Extract<RunEvent, { type: "task" }>;
type Recap = Extract<RunEvent, { type: "recap" }>;

const path = (host: string, name: string) => join(site.hosts, host, name);
const read = (host: string, name: string) => readFileSync(path(host, name), "utf8");

/** Every file under the hosts' root, path to content and mode: what a run that changes nothing leaves as it was. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(site.hosts, { recursive: true, encoding: "utf8" })) {
    const file = join(site.hosts, entry);
    const stat = statSync(file);
    files[entry] = stat.isDirectory()
      ? `directory ${(stat.mode & 0o7777).toString(8)}`
      : `${(stat.mode & 0o7777).toString(8)} ${readFileSync(file, "utf8")}`;
  }
  return files;
}

/** The NDJSON events of a --json run; fails on any line that is not one JSON object with a type. */
function events(stdout: string): RunEvent[] {
  const lines = stdout.split("\n").filter(Boolean);
  assert.ok(lines.length > 0, "a --json run prints events");
  return lines.map((line) => {
    const event = JSON.parse(line) as RunEvent;
    assert.type(event.type, "string", line);
    return event;
  });
}
const recapOf = (all: RunEvent[]) => all.find((event): event is Recap => event.type === "recap")!;
/** "host file" for each task of `status`, sorted (ids are `file:<path>`). */
const taskFiles = (all: RunEvent[], status: string) =>
  all
    .filter((event): event is Task => event.type === "task" && event.status === status)
    .map((event) => `${event.host} ${event.id.slice(event.id.lastIndexOf("/") + 1)}`)
    .sort();

/** Both hosts as a converge leaves them (written here, not by a run: each run of the CLI costs about 0.4 s), then `drift`. */
function convergedThen(drift: () => void): void {
  for (const host of ["alpha", "beta"]) {
    mkdirSync(join(site.hosts, host), { recursive: true });
    chmodSync(join(site.hosts, host), 0o755);
    if (site.account.switched) chownSync(join(site.hosts, host), site.account.uid, site.account.gid);
    for (const [name, content] of [
      ["base.conf", `base of ${host}\n`],
      ["extra.conf", "extra\n"],
    ] as const) {
      writeFileSync(path(host, name), content);
      chmodSync(path(host, name), 0o644);
    }
  }
  drift();
}

test("a converge through bin/foobar-infra writes every file on both hosts over SSH (exit 0, 3 changed each); a second run changes nothing, -v listing each task ok", async () => {
  const first = await site.cli("files", []);
  assert.is(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stdout, /^PLAYBOOK cli_files · inventory cli-converge-\d+ · 2 hosts$/m);
  assert.match(first.stdout, /^ {2}alpha +ok=0 changed=3 failed=0 unreachable=0 skipped=0$/m);
  assert.match(first.stdout, /^ {2}beta +ok=0 changed=3 failed=0 unreachable=0 skipped=0$/m);
  assert.match(first.stdout, /, exit 0$/m);
  for (const host of ["alpha", "beta"]) {
    assert.is(read(host, "base.conf"), `base of ${host}\n`);
    assert.is(read(host, "extra.conf"), "extra\n");
    assert.is(statSync(path(host, "base.conf")).mode & 0o777, 0o644);
  }
  assert.ok(
    site.servers.alpha!.commands.length > 0 && site.servers.beta!.commands.length > 0,
    "each host's files were written through its own SSH server",
  );
  const second = await site.cli("files", ["-v"]);
  assert.is(second.code, 0, second.stderr);
  for (const host of ["alpha", "beta"]) {
    assert.match(second.stdout, new RegExp(`^ {2}${host} +ok=3 changed=0 failed=0 unreachable=0 skipped=0$`, "m"));
    for (const name of ["", "/base.conf", "/extra.conf"])
      assert.match(
        second.stdout,
        new RegExp(`^ {2}ok {7}${host} {2}(directory|file):${join(site.hosts, host)}${name}$`, "m"),
      );
  }
  assert.not.match(second.stdout, /changed {2}/);
});

test("--check --diff on drifted hosts exits 2, shows the diff and changes no file; the next run (--json: start to recap) repairs the drift", async () => {
  convergedThen(() => {
    writeFileSync(path("alpha", "base.conf"), "tampered\n");
    rmSync(path("beta", "extra.conf"));
  });
  const before = snapshot();
  const check = await site.cli("files", ["--check", "--diff"]);
  assert.is(check.code, 2, check.stdout + check.stderr);
  assert.match(check.stdout, /· check mode \(nothing is changed\)$/m);
  assert.match(check.stdout, /^ +-tampered\n +\+base of alpha$/m);
  assert.match(check.stdout, new RegExp(`^ {2}changed {2}beta {2}file:${path("beta", "extra.conf")}: create$`, "m"));
  assert.equal(snapshot(), before, "--check changed nothing on the hosts");
  assert.match(check.stdout, /^ {2}alpha +ok=2 changed=1 failed=0 unreachable=0 skipped=0$/m);
  assert.match(check.stdout, /^ {2}beta +ok=2 changed=1 failed=0 unreachable=0 skipped=0$/m);
  const repair = await site.cli("files", ["--json"]);
  assert.is(repair.code, 0, repair.stderr);
  const repaired = events(repair.stdout);
  assert.is(repaired[0]!.type, "start");
  assert.is(repaired.at(-1)!.type, "recap", "the recap is the last event");
  assert.is(recapOf(repaired).exitCode, 0);
  assert.equal(taskFiles(repaired, "changed"), ["alpha base.conf", "beta extra.conf"]);
  assert.is(read("alpha", "base.conf"), "base of alpha\n");
  assert.is(read("beta", "extra.conf"), "extra\n");
});

test("-t extra converges only the resources tagged extra; --skip-tags extra all but them", async () => {
  const tamper = () => {
    for (const host of ["alpha", "beta"])
      for (const name of ["base.conf", "extra.conf"]) writeFileSync(path(host, name), "tampered\n");
  };
  convergedThen(tamper);
  const only = await site.cli("files", ["-t", "extra", "--json"]);
  assert.is(only.code, 0, only.stderr);
  const onlyEvents = events(only.stdout);
  assert.equal(taskFiles(onlyEvents, "changed"), ["alpha extra.conf", "beta extra.conf"]);
  assert.equal(taskFiles(onlyEvents, "ok"), [], "no other resource was even reported");
  for (const host of ["alpha", "beta"]) {
    assert.is(read(host, "extra.conf"), "extra\n");
    assert.is(read(host, "base.conf"), "tampered\n", "an untagged resource is left alone");
  }
  tamper();
  const skip = await site.cli("files", ["--skip-tags", "extra", "--json"]);
  assert.is(skip.code, 0, skip.stderr);
  assert.equal(taskFiles(events(skip.stdout), "changed"), ["alpha base.conf", "beta base.conf"]);
  for (const host of ["alpha", "beta"]) {
    assert.is(read(host, "base.conf"), `base of ${host}\n`);
    assert.is(read(host, "extra.conf"), "tampered\n", "the skipped tag is left alone");
  }
});

test("-l beta converges beta only: alpha is neither connected to nor changed", async () => {
  convergedThen(() => {
    for (const host of ["alpha", "beta"]) writeFileSync(path(host, "base.conf"), "tampered\n");
  });
  const alphaCommands = site.servers.alpha!.commands.length;
  const run = await site.cli("files", ["-l", "beta", "--json"]);
  assert.is(run.code, 0, run.stderr);
  const all = events(run.stdout);
  assert.equal((all[0] as Extract<RunEvent, { type: "start" }>).hosts, ["beta"]);
  assert.equal(taskFiles(all, "changed"), ["beta base.conf"]);
  assert.is(read("alpha", "base.conf"), "tampered\n");
  assert.is(site.servers.alpha!.commands.length, alphaCommands, "no command ran on alpha");
});

/** Pairs of host-play intervals of two different hosts that overlap (each [startedAt, startedAt + durationMs)). */
function overlaps(all: RunEvent[]): string[] {
  const plays = all.filter((event): event is HostPlay => event.type === "host-play");
  const found: string[] = [];
  for (const a of plays)
    for (const b of plays)
      if (a.host < b.host && a.startedAt < b.startedAt + b.durationMs && b.startedAt < a.startedAt + a.durationMs)
        found.push(`${a.host} ${a.play} / ${b.host} ${b.play}`);
  return found;
}

test("-f 1 converges both hosts one at a time: no two hosts' host-play intervals overlap; with the default forks they do", async () => {
  const tamper = () => {
    for (const host of ["alpha", "beta"]) writeFileSync(path(host, "base.conf"), "tampered\n");
  };
  convergedThen(tamper);
  const serial = await site.cli("files", ["-f", "1", "--json"]);
  assert.is(serial.code, 0, serial.stderr);
  const serialEvents = events(serial.stdout);
  assert.equal(taskFiles(serialEvents, "changed"), ["alpha base.conf", "beta base.conf"], "every host converged");
  const plays = serialEvents.filter((event) => event.type === "host-play").length;
  assert.is(plays, 4, "gather facts and files, on each host");
  assert.equal(overlaps(serialEvents), []);
  tamper();
  const parallel = await site.cli("files", ["--json"]);
  assert.is(parallel.code, 0, parallel.stderr);
  assert.ok(overlaps(events(parallel.stdout)).length > 0, "with 50 forks both hosts gather at once: the check sees it");
});

test("--timeout 1 stops a command that outlasts it: exit 1, its task fails naming the timeout, and the command is killed on the host", async () => {
  const run = await site.cli("files", ["-t", "slow", "-l", "alpha", "--timeout", "1"], {
    config: { slowSeconds: 20 },
  });
  assert.is(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^ {2}FAILED {3}alpha {2}command:slow: command timed out after 1000 ms$/m);
  assert.match(run.stdout, /^ {2}alpha +ok=0 changed=0 failed=1 unreachable=0 skipped=0$/m);
  await Promise.race([
    site.servers.alpha!.idle(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error("the command still runs on alpha 30 s after the run")), 30_000).unref(),
    ),
  ]);
  assert.not.ok(statSync(path("alpha", "slow.done"), { throwIfNoEntry: false }), "the command did not finish");
});

/** A duration as the profile prints it: "7 ms", "0.4 s". */
const D = "\\d+(?:\\.\\d+)? m?s";

test("--profile prints the slowest tasks and each host's plays after the recap; under --json on stderr, stdout staying NDJSON", async () => {
  convergedThen(() => writeFileSync(path("alpha", "base.conf"), "tampered\n"));
  const human = await site.cli("files", ["--profile"]);
  assert.is(human.code, 0, human.stderr);
  const profile = human.stdout.slice(human.stdout.indexOf("\nPROFILE\n"));
  assert.ok(human.stdout.indexOf("RECAP") < human.stdout.indexOf("\nPROFILE\n"), human.stdout);
  assert.match(profile, new RegExp(`^ +${D} {2}alpha +file:${path("alpha", "base.conf")} +\\[files\\]$`, "m"));
  for (const host of ["alpha", "beta"]) {
    assert.match(
      profile,
      new RegExp(
        `^ {2}${host} +done at ${D}, busy ${D}, idle ${D}\\n {6}gather facts ${D} \\+${D} \\| files ${D} \\+${D}$`,
        "m",
      ),
    );
  }
  writeFileSync(path("alpha", "base.conf"), "tampered\n");
  const json = await site.cli("files", ["--profile", "--json"]);
  assert.is(json.code, 0, json.stderr);
  assert.equal(taskFiles(events(json.stdout), "changed"), ["alpha base.conf"]);
  assert.match(json.stderr, /^PROFILE$/m);
  assert.match(json.stderr, /^ {2}hosts, last to finish first/m);
});

test.run();
