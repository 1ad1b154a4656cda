// The local transport: stdin, exit codes, stderr and timeouts that kill the whole process group.
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

test("a timeout kills the process group quickly and reports code null", async () => {
  const started = Date.now();
  // The backgrounded sleep is a grandchild: only a process-group kill reaches it and lets stdout close.
  const result = await local.exec("sleep 30 & echo started; wait", { timeoutMs: 300 });
  const elapsed = Date.now() - started;
  assert.is(result.code, null);
  assert.is(result.stdout, "started\n");
  assert.ok(elapsed < 5000, `took ${elapsed} ms`);
});

test("a command that finishes before its timeout keeps its exit code", async () => {
  const result = await local.exec("exit 0", { timeoutMs: 5000 });
  assert.is(result.code, 0);
});

test.run();
