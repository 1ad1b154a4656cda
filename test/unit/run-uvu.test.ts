// The uvu guard reads uvu's summary: tests that neither passed nor were skipped (a failed before hook) are counted.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { testsNotRun } from "../run-uvu.ts";

/** uvu's summary as it prints it, colours included. */
const summary = (total: number, passed: number, skipped: number) =>
  `\n  Total:     ${total}\u001b[32m\n  Passed:    ${passed}\u001b[39m\n  Skipped:   ${skipped}\n  Duration:  97812.08ms\n\n`;

test("every test passed or skipped: none missing; a swallowed before hook: its tests are missing; no summary: unknown", () => {
  assert.is(testsNotRun(`web.test.ts\n(8 / 8)\n${summary(8, 8, 0)}`), 0);
  assert.is(testsNotRun(summary(12, 10, 2)), 0);
  assert.is(testsNotRun(`web.test.ts\n\u001b[32m  (0 / 8)\n${summary(8, 0, 0)}`), 8);
  assert.is(testsNotRun("Exiting early before testing is finished.\n"), undefined);
});

test.run();
