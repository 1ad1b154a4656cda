// The local transport: stdin, exit codes, stderr and timeouts that kill the whole process group.
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";

const local = localTransport("box");

test("reports the host name it was given", () => {
  assert.is(local.host, "box");
  assert.is(localTransport().host, "localhost");
});

test("stdin reaches the command and stdout comes back", async () => {
  const result = await local.exec('read line; echo "got $line"', { stdin: "hello\n" });
  assert.equal(result, { stdout: "got hello\n", stderr: "", code: 0 });
  const echoed = await local.exec("cat", { stdin: "line one\nline two\n" });
  assert.is(echoed.stdout, "line one\nline two\n");
});

test("non-zero exit codes and stderr are reported", async () => {
  const result = await local.exec("echo out; echo err >&2; exit 7");
  assert.is(result.code, 7);
  assert.is(result.stdout, "out\n");
  assert.is(result.stderr, "err\n");
});

test("a command that ignores its stdin still completes", async () => {
  const result = await local.exec("exit 3", { stdin: "x".repeat(1 << 20) });
  assert.is(result.code, 3);
});

test("moreStdin: the command starts now, gets the rest of its input when it resolves, and its timeout starts then", async () => {
  let giveRest: (rest: string) => void = () => {};
  const rest = new Promise<string>((resolve) => (giveRest = resolve));
  const running = local.exec('read first; echo "started $first"; cat', {
    stdin: "now\n",
    moreStdin: rest,
    timeoutMs: 1000,
  });
  await new Promise((resolve) => setTimeout(resolve, 1500));
  giveRest("later\n");
  assert.equal(await running, { stdout: "started now\nlater\n", stderr: "", code: 0 }, "not killed while it waited");
  const ended = await local.exec("cat; echo end", { stdin: "only\n", moreStdin: Promise.resolve("") });
  assert.is(ended.stdout, "only\nend\n", "an empty rest ends stdin");
});

test("a timeout kills the process group and reports code null", async () => {
  const marks = mkdtempSync(join(tmpdir(), "local-transport-"));
  try {
    // The backgrounded subshell is a grandchild: only a process-group kill reaches it; left alive, it would write its
    // mark after the sleep (and hold stdout open until then).
    const result = await local.exec(`(sleep 30; touch ${marks}/outlived) & echo started; wait`, { timeoutMs: 300 });
    assert.is(result.code, null);
    assert.is(result.stdout, "started\n");
    assert.not.ok(existsSync(join(marks, "outlived")), "the grandchild was killed with its group");
  } finally {
    rmSync(marks, { recursive: true, force: true });
  }
});

test("a command that finishes before its timeout keeps its exit code", async () => {
  const result = await local.exec("exit 0", { timeoutMs: 5000 });
  assert.is(result.code, 0);
});

test.run();
