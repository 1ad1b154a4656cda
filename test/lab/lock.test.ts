// One converge per host at a time on booted hosts: two runs at once (one applies, the other waits and finds nothing
// to do), --no-wait naming the holder, --check never waiting, and a run killed with SIGKILL leaving no lock behind.
import { REPO_ROOT } from "../../lab/paths.ts";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { capture } from "../../lab/run-command.ts";
import { HOLDER_FILE } from "../../lib/facts/lock-state.ts";
import { LOCK_FILE } from "../../lib/runner/host-lock.ts";
import { changedTaskIds, converge, eventually, mustOnHost, onHost, type Converge } from "./harness.ts";

const WEB_01 = ["-l", "web-01"];
const HOLD_LOCK = "test/lab/playbooks/hold-lock.ts";

const drift = () =>
  mustOnHost(
    "web-01",
    "sed -i 's/^RestartSec=.*/RestartSec=9/' /etc/systemd/system/foobar-app.service && systemctl daemon-reload",
  );
const lockFree = async () => (await onHost("web-01", `flock -n ${LOCK_FILE} true`)).code === 0;
const waited = (run: Converge) => run.events.some((event) => event.type === "waiting");

/** hold-lock.ts on web-01 in the background; resolves once it holds web-01's lock, with its pid (from the holder file). */
async function holdLock(): Promise<{ pid: number; done: ReturnType<typeof capture> }> {
  const done = capture(process.execPath, ["--import", "tsx", join(REPO_ROOT, HOLD_LOCK), "-i", "lab", ...WEB_01], {
    cwd: REPO_ROOT,
  });
  let pid = 0;
  const holding = await eventually(
    async () => {
      pid = Number(
        /^.* pid (\d+), playbook hold-lock,/m.exec(await mustOnHost("web-01", `cat ${HOLDER_FILE}`))?.[1] ?? 0,
      );
      return pid > 0 && !(await lockFree());
    },
    20_000,
    100,
  );
  assert.ok(holding, "hold-lock.ts took web-01's converge lock");
  return { pid, done };
}

test.before(async () => {
  const first = await converge("site", WEB_01);
  assert.is(first.exitCode, 0, first.output);
});

test("two converges of a drifted host started together: the drift is repaired once, the app restarted once", async () => {
  await drift();
  const runs = await Promise.all([converge("site", WEB_01), converge("site", WEB_01)]);
  for (const run of runs) assert.is(run.exitCode, 0, run.output);
  const repairs = runs
    .flatMap((run) => run.changedTasks)
    .filter((task) => task === "web-01: systemd_unit:foobar-app.service");
  const restarts = runs
    .flatMap((run) => changedTaskIds(run.events, "handlers"))
    .filter((task) => task === "web-01: restart app");
  assert.is(repairs.length, 1, runs.map((run) => run.output).join("\n----\n"));
  assert.is(restarts.length, 1, "one restart of the app, not one per run");
  assert.ok(
    runs.some((run) => run.changed === 0),
    "the other run found nothing to do (it waited for the lock, or probed after the repair)",
  );
});

test("a run that must change a host another run holds waits, then probes afresh; --no-wait fails at once naming the holder; --check does not wait", async () => {
  await drift();
  const holder = await holdLock();
  let waiting: Promise<Converge> | undefined;
  try {
    waiting = converge("site", WEB_01);
    const refused = await converge("site", [...WEB_01, "--no-wait"]);
    assert.is(refused.exitCode, 1, refused.output);
    assert.match(
      refused.output,
      new RegExp(
        `web-01: converge lock: converge lock held by \\S+@\\S+ pid ${holder.pid}, playbook hold-lock, started \\S+ \\(--no-wait\\)`,
      ),
    );
    const check = await converge("site", [...WEB_01, "--check"]);
    assert.is(check.exitCode, 2, check.output);
    assert.not.ok(waited(check), "--check did not wait");
  } finally {
    const done = await holder.done;
    assert.is(done.code, 0, `${done.stdout}\n${done.stderr}`);
  }
  const repaired = await waiting!;
  assert.is(repaired.exitCode, 0, repaired.output);
  assert.ok(waited(repaired), `it waited: ${repaired.output}`);
  assert.ok(repaired.changedTasks.includes("web-01: systemd_unit:foobar-app.service"), repaired.output);
  assert.ok(await eventually(lockFree, 2000, 100), "the lock is free once both ended");
});

test("a run killed with SIGKILL while it holds the lock leaves none behind: the next run does not wait", async () => {
  const holder = await holdLock();
  process.kill(holder.pid, "SIGKILL");
  const killed = await holder.done;
  assert.is(killed.code, null, "killed by the signal");
  assert.ok(await eventually(lockFree, 3000, 100), "the lock ended with the killed run's login");
  await drift();
  const next = await converge("site", WEB_01);
  assert.is(next.exitCode, 0, next.output);
  assert.ok(next.changedTasks.includes("web-01: systemd_unit:foobar-app.service"), next.output);
  assert.not.ok(waited(next), next.output);
});

test.run();
