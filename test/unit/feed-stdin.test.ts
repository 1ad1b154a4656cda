// feedStdin, the stdin feed every transport shares: the script now, the rest once it is known, the timeout's start just
// before the end, and nothing once the command is gone.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { feedStdin } from "../../lib/connection/transport.ts";

/** A sink and an `ending` that note every call, in order. */
function recorder() {
  const calls: string[] = [];
  return {
    calls,
    sink: { write: (text: string) => calls.push(`write ${text}`), end: (text: string) => calls.push(`end ${text}`) },
    ending: () => calls.push("ending"),
  };
}

test("without more stdin: the timeout starts, then stdin ends with the script", () => {
  const { calls, sink, ending } = recorder();
  feedStdin(sink, { stdin: "script" }, ending, () => false);
  assert.equal(calls, ["ending", "end script"]);
});

test("with more stdin: the script is written now; the timeout starts and stdin ends with the rest once it resolves", async () => {
  const { calls, sink, ending } = recorder();
  let give!: (rest: string) => void;
  const rest = new Promise<string>((resolve) => (give = resolve));
  feedStdin(sink, { stdin: "prefix", moreStdin: rest }, ending, () => false);
  assert.equal(calls, ["write prefix"]);
  give("rest");
  await rest;
  assert.equal(calls, ["write prefix", "ending", "end rest"]);
});

test("more stdin that rejects ends stdin empty; a command already gone gets neither the end nor the timeout", async () => {
  const rejected = recorder();
  const failing = Promise.reject(new Error("no script"));
  feedStdin(rejected.sink, { moreStdin: failing }, rejected.ending, () => false);
  await failing.catch(() => {});
  assert.equal(rejected.calls, ["write ", "ending", "end "]);

  const gone = recorder();
  const late = Promise.resolve("rest");
  feedStdin(gone.sink, { stdin: "prefix", moreStdin: late }, gone.ending, () => true);
  await late;
  assert.equal(gone.calls, ["write prefix"]);
});

test.run();
