// Run metrics: a check publishes drift per host and play, a converge what it changed and failed, to the inventory's
// runMetrics host over the run's own login; the files, written by the published script through a real /bin/sh, read back.
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import type { EnvironmentSpec } from "../../lib/inventory/types.ts";
import type { RunEvent } from "../../lib/report/events.ts";
import { RunMetricsRecorder } from "../../lib/report/run-metrics.ts";
import type { ExecOptions, Transport } from "../../lib/connection/transport.ts";
import { MetricsPublisher, publishScript } from "../../lib/runner/publish-metrics.ts";
import type { HostSession } from "../../lib/runner/host-session.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { fakeInventory, newHosts, thirtyKeys } from "./support/kv-host.ts";
import { runFake } from "./support/run.ts";

const names = ["h1", "h2", "h3"];
const book = definePlaybook("b", [
  { name: "first", hosts: "all_fake", roles: [thirtyKeys] },
  { name: "second", hosts: "h1", roles: [thirtyKeys] },
]);
const directory = mkdtempSync(join(tmpdir(), "run-metrics-"));
test.after(() => rmSync(directory, { recursive: true, force: true }));

/** The fake inventory with h3 as the metrics host, publishing into this test's scratch directory. */
function inventory() {
  const spec = fakeInventory(names);
  (spec.environments.test as EnvironmentSpec).runMetrics = { host: "h3", directory };
  return spec;
}

/** Run the script a run sent to h3 through /bin/sh here, and read every file it wrote. */
async function published(stdin: string): Promise<Record<string, string>> {
  rmSync(directory, { recursive: true, force: true });
  const result = await localTransport().exec("sh -s", { stdin });
  assert.is(result.code, 0, result.stderr);
  const files = readdirSync(directory, { withFileTypes: true }).filter((entry) => entry.isFile());
  return Object.fromEntries(files.map((file) => [file.name, readFileSync(join(directory, file.name), "utf8")]));
}

const samples = (files: Record<string, string>) =>
  Object.values(files)
    .flatMap((text) => text.split("\n"))
    .filter((line) => line && !line.startsWith("#"))
    .sort();

test("a check publishes each host's drift per play, its exit code and check time; an unreachable host only as unreachable", async () => {
  const hosts = newHosts(names);
  hosts.h3!.store = new Map(Array.from({ length: 30 }, (_, index) => [`k${index}`, `v${index}`]));
  hosts.h1!.store = new Map(Array.from({ length: 28 }, (_, index) => [`k${index}`, `v${index}`]));
  const run = await runFake(book, inventory(), hosts, {
    check: true,
    publishCheck: true,
    fake: { h2: { unreachable: true } },
  });
  assert.is(run.exitCode, 3, "the check's own code: an unreachable host");
  const publish = run.log.execs.filter((exec) => exec.stdin.includes(directory));
  assert.is(publish.length, 1, "one exec on h3 writes the files");
  assert.is(publish[0]!.host, "h3");
  const files = await published(publish[0]!.stdin);
  assert.equal(Object.keys(files).sort(), [
    "foobar-check-h1.prom",
    "foobar-check-h3.prom",
    "foobar-reach-h1.prom",
    "foobar-reach-h2.prom",
    "foobar-reach-h3.prom",
  ]);
  const values = samples(files).map((line) => line.replace(/ \d{10}$/, " NOW"));
  assert.equal(values, [
    'foobar_check_exit_code{host="h1"} 2',
    'foobar_check_exit_code{host="h3"} 0',
    'foobar_check_last_run_timestamp_seconds{host="h1"} NOW',
    'foobar_check_last_run_timestamp_seconds{host="h3"} NOW',
    'foobar_check_unreachable{host="h1"} 0',
    'foobar_check_unreachable{host="h2"} 1',
    'foobar_check_unreachable{host="h3"} 0',
    'foobar_drift_resources{host="h1",play="first"} 2',
    'foobar_drift_resources{host="h1",play="second"} 2',
    'foobar_drift_resources{host="h3",play="first"} 0',
  ]);
  const event = run.events.find((item) => item.type === "metrics");
  assert.equal(event, {
    type: "metrics",
    host: "h3",
    files: 5,
    error: "writing " + directory + " on h3 exited 2: fake: not a framed script",
  });
});

test("a plain --check publishes nothing; a converge publishes changed, failed and duration, and a success time only when clean", async () => {
  const check = await runFake(book, inventory(), newHosts(names), { check: true });
  assert.is(check.log.execs.filter((exec) => exec.stdin.includes(directory)).length, 0);
  assert.not.ok(check.events.some((event) => event.type === "metrics"));
  const converge = await runFake(book, inventory(), newHosts(names), { fake: { h2: { unreachable: true } } });
  const publish = converge.log.execs.filter((exec) => exec.stdin.includes(directory));
  const files = await published(publish[0]!.stdin);
  assert.equal(Object.keys(files).sort(), [
    "foobar-converge-h1.prom",
    "foobar-converge-h2.prom",
    "foobar-converge-h3.prom",
    "foobar-converge-success-h1.prom",
    "foobar-converge-success-h3.prom",
  ]);
  const values = samples(files)
    .filter((line) => !line.startsWith("foobar_converge_duration"))
    .map((line) => line.replace(/ \d{10}$/, " NOW"));
  assert.equal(values, [
    'foobar_converge_changed{host="h1"} 30',
    'foobar_converge_changed{host="h2"} 0',
    'foobar_converge_changed{host="h3"} 30',
    'foobar_converge_failed{host="h1"} 0',
    'foobar_converge_failed{host="h2"} 1',
    'foobar_converge_failed{host="h3"} 0',
    'foobar_converge_last_success_timestamp_seconds{host="h1"} NOW',
    'foobar_converge_last_success_timestamp_seconds{host="h3"} NOW',
  ]);
  assert.match(files["foobar-converge-h1.prom"]!, /^foobar_converge_duration_seconds\{host="h1"\} \d+\.\d{3}$/m);
});

test("a metrics host that cannot be reached: the run keeps its exit code and says publishing failed", async () => {
  const hosts = newHosts(names);
  const run = await runFake(book, inventory(), hosts, {
    check: true,
    publishCheck: true,
    fake: { h3: { unreachable: true } },
  });
  assert.is(run.exitCode, 3);
  const event = run.events.find((item) => item.type === "metrics") as Extract<RunEvent, { type: "metrics" }>;
  assert.is(event.host, "h3");
  assert.match(event.error ?? "", /^h3: connect ECONNREFUSED \(fake\)/);
});

test("the metrics host's root shell opens once its pre-probe is done and waits for the script; a run ended early gives it none", async () => {
  const started: { command: string; options: ExecOptions }[] = [];
  const transport: Transport = {
    host: "h3",
    exec(command, options = {}) {
      started.push({ command, options });
      return Promise.all([options.stdin, options.moreStdin]).then(([stdin = "", more = ""]) => ({
        stdout: "",
        stderr: stdin + more,
        code: 0,
      }));
    },
    close: async () => {},
  };
  const loaded = loadInventory(inventory(), "test");
  const session = (host: string) =>
    ({ host, transport, login: { command: "sudo -n sh -s", stdinPrefix: "" } }) as unknown as HostSession;
  const refuseLogin = () => Promise.reject(new Error("no new login: the run's own is used"));
  const publisher = new MetricsPublisher(loaded, refuseLogin);
  publisher.probed(session("h1"));
  assert.is(started.length, 0, "another host opens nothing");
  publisher.probed(session("h3"));
  assert.is(started.length, 1, "the metrics host's shell starts before the run's outcome is known");
  assert.is(started[0]!.command, "sudo -n sh -s");
  assert.ok(started[0]!.options.moreStdin, "its script comes later");
  const files = [{ name: "foobar-x.prom", text: "x 1\n" }];
  assert.is(await publisher.publish(new Map(), files), undefined);
  assert.is(started.length, 1, "publishing uses the shell opened before");
  assert.is(await started[0]!.options.moreStdin, publishScript(directory, files));

  const endedEarly = new MetricsPublisher(loaded, refuseLogin);
  endedEarly.probed(session("h3"));
  endedEarly.end();
  assert.is(await started[1]!.options.moreStdin, "", "end-of-file: the shell exits having run nothing");
});

/** A metric's HELP and TYPE lines as the exposition format has them. */
const head = (name: string, help: string) => `# HELP ${name} ${help}\n# TYPE ${name} gauge\n`;
const REACH = head("foobar_check_unreachable", "1 when the last check could not log in to the host.");
const DRIFT = head("foobar_drift_resources", "Resources the last check found would change, per play.");
const EXIT = head(
  "foobar_check_exit_code",
  "The last check's exit code for this host (0 converged, 1 failed, 2 drift).",
);
const CHECKED = head("foobar_check_last_run_timestamp_seconds", "When the host was last checked (Unix time).");
const CHANGED = head("foobar_converge_changed", "Resources the last converge changed on the host.");
const FAILED = head("foobar_converge_failed", "Failed tasks of the last converge (1 when the host was unreachable).");
const TOOK = head("foobar_converge_duration_seconds", "How long the last converge worked on the host.");
const SUCCESS = head(
  "foobar_converge_last_success_timestamp_seconds",
  "When the host last converged with no failure (Unix time).",
);

test("the recorder's files, whole: drift per play without gather facts or handlers, exit code by worst outcome, a host's span", () => {
  const recorder = new RunMetricsRecorder();
  const task = (host: string, play: string, id: string, status: "ok" | "changed" | "failed", handler = false) =>
    recorder.emit({
      type: "task",
      play,
      host,
      id,
      status,
      startedAt: 0,
      durationMs: 0,
      ...(handler ? { handler } : {}),
    });
  const hostPlay = (host: string, play: string, startedAt: number, durationMs: number) =>
    recorder.emit({ type: "host-play", play, host, startedAt, durationMs });
  recorder.emit({ type: "start", playbook: "b", environment: "test", hosts: ["a", "b", "c", "d"], check: true });
  hostPlay("a", "gather facts", 1000, 500);
  task("a", "p1", "kv:x", "changed");
  task("a", "p1", "kv:y", "changed");
  task("a", "p1", "reload", "changed", true);
  hostPlay("a", "p1", 2000, 3000);
  task("a", "p2", "kv:z", "ok");
  hostPlay("a", "p2", 6000, 1000);
  task("b", "p1", "kv:x", "failed");
  task("b", "p1", "kv:y", "changed");
  hostPlay("b", "p1", 3000, 250);
  recorder.emit({ type: "unreachable", host: "c", message: "refused" });
  const reach = (host: string, value: number) => ({
    name: `foobar-reach-${host}.prom`,
    text: `${REACH}foobar_check_unreachable{host="${host}"} ${value}\n`,
  });
  const check = (host: string, drift: string[], code: number) => ({
    name: `foobar-check-${host}.prom`,
    text: `${DRIFT}${drift.map((line) => `${line}\n`).join("")}${EXIT}foobar_check_exit_code{host="${host}"} ${code}\n${CHECKED}foobar_check_last_run_timestamp_seconds{host="${host}"} 100\n`,
  });
  assert.equal(recorder.checkFiles(100), [
    reach("a", 0),
    check("a", ['foobar_drift_resources{host="a",play="p1"} 2', 'foobar_drift_resources{host="a",play="p2"} 0'], 2),
    reach("b", 0),
    check("b", ['foobar_drift_resources{host="b",play="p1"} 1'], 1),
    reach("c", 1),
    reach("d", 0),
    check("d", [], 0),
  ]);
  const converge = (host: string, changed: number, failed: number, seconds: string) => ({
    name: `foobar-converge-${host}.prom`,
    text: `${CHANGED}foobar_converge_changed{host="${host}"} ${changed}\n${FAILED}foobar_converge_failed{host="${host}"} ${failed}\n${TOOK}foobar_converge_duration_seconds{host="${host}"} ${seconds}\n`,
  });
  const success = (host: string) => ({
    name: `foobar-converge-success-${host}.prom`,
    text: `${SUCCESS}foobar_converge_last_success_timestamp_seconds{host="${host}"} 200\n`,
  });
  assert.equal(recorder.convergeFiles(200), [
    converge("a", 2, 0, "6.000"),
    success("a"),
    converge("b", 1, 1, "0.250"),
    converge("c", 0, 1, "0.000"),
    converge("d", 0, 0, "0.000"),
    success("d"),
  ]);
});

test("label values are escaped; each file is staged aside, readable by all under any umask, then moved into place", async () => {
  const recorder = new RunMetricsRecorder();
  recorder.emit({ type: "start", playbook: "b", environment: "test", hosts: ["h1", "h2"], check: true });
  const play = 'odd "play"\\name\nsecond line';
  recorder.emit({ type: "host-play", play, host: "h1", startedAt: 1000, durationMs: 5 });
  recorder.emit({ type: "task", play, host: "h1", id: "kv:a", status: "changed", startedAt: 1000, durationMs: 0 });
  const files = recorder.checkFiles(1_700_000_000);
  const script = publishScript(directory, files);
  assert.is(script.match(/\bmv /g)?.length, 1, "one mv renames every file");
  assert.not.match(script, /chmod/);
  const written = await published(`umask 077\n${script}`);
  assert.ok(
    written["foobar-check-h1.prom"]!.includes(
      'foobar_drift_resources{host="h1",play="odd \\"play\\"\\\\name\\nsecond line"} 1\n',
    ),
    written["foobar-check-h1.prom"],
  );
  assert.equal(Object.keys(written).sort(), files.map((file) => file.name).sort());
  for (const name of Object.keys(written)) assert.is(statSync(join(directory, name)).mode & 0o777, 0o644, name);
  assert.equal(readdirSync(join(directory, ".foobar-staging")), [], "nothing left in the staging directory");
  assert.equal(
    readdirSync(directory).filter((name) => name.startsWith(".") && name !== ".foobar-staging"),
    [],
    "no other hidden entry",
  );
  const again = await localTransport().exec("sh -s", { stdin: script });
  assert.is(again.code, 0, `a second publish, over the staging directory the first left: ${again.stderr}`);
  assert.equal(readdirSync(join(directory, ".foobar-staging")), []);
});

test.run();
