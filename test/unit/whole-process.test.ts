// The bench's controller CPU figure: the children's line of bash's `times`, after the command's own stderr.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { childrenCpuMs } from "../../bench/whole-process.ts";

test("the last line of bash's times is the children's user + system time, in ms", () => {
  const stderr = "warning: something the command said\n0m0.004s 0m0.002s\n1m1.820s 0m0.068s\n";
  assert.is(Math.round(childrenCpuMs(stderr)), 61_888);
});

test("stderr without bash's times is an error quoting the line, not a zero", () => {
  assert.throws(() => childrenCpuMs("the command failed\n"), /no CPU times from bash's times: "the command failed"/);
});

test.run();
