// `--limit @failed` resolved against a scratch run history: the last run of the playbook on the environment names the
// hosts, joined with the other patterns (excluded with !@failed); nothing to rerun only when @failed alone named hosts.
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { resolveFailedLimit } from "../../lib/cli/failed-limit.ts";
import { InputError } from "../../lib/errors.ts";
import { writeRecord } from "../../lib/report/history-store.ts";
import type { RunHeader } from "../../lib/report/run-record.ts";
import { scratchDir } from "./support/scratch.ts";
import { runHeader } from "./support/run-header.ts";

const header = (id: string, rerun: Record<string, string>, more: Partial<RunHeader> = {}): RunHeader =>
  runHeader(id, { durationMs: 0, exitCode: 1, rerun, ...more });

/** A history holding these records. */
function history(...records: RunHeader[]): string {
  const dir = scratchDir("failed-limit-");
  for (const record of records) writeRecord(dir, record, `${JSON.stringify(record)}\n`, { runs: 10, days: 1e6 }, 0);
  return dir;
}

test("a limit without @failed is kept as given, and the history is not read", () => {
  const nowhere = join(scratchDir("failed-limit-"), "none");
  assert.equal(resolveFailedLimit(undefined, "site", "lab", nowhere), { limit: undefined });
  assert.equal(resolveFailedLimit("web-01,@failedx", "site", "lab", nowhere), { limit: "web-01,@failedx" });
  assert.equal(
    resolveFailedLimit("@fail!ed", "site", "lab", nowhere),
    { limit: "@fail!ed" },
    "only a leading ! excludes",
  );
});

test("@failed: the hosts of the playbook's last run on the environment, with the other patterns, trimmed, empty ones dropped", () => {
  const dir = history(
    header("20261205-100000.000-0001", { old: "failed: kv:x" }),
    header("20261205-110000.000-0002", { h2: "unreachable", h1: "failed: kv:x" }),
    header("20261205-120000.000-0003", { other: "unreachable" }, { playbook: "deploy" }),
    header("20261205-130000.000-0004", { prod: "unreachable" }, { environment: "production" }),
  );
  assert.equal(resolveFailedLimit("@failed", "site", "lab", dir), { limit: "h2,h1" });
  assert.equal(resolveFailedLimit(" @failed , web-03", "site", "lab", dir), { limit: "h2,h1,web-03" });
  assert.equal(resolveFailedLimit("@failed,,web-03,", "site", "lab", dir), { limit: "h2,h1,web-03" }, "empty patterns");
  assert.equal(resolveFailedLimit("web-*,!@failed", "site", "lab", dir), { limit: "web-*,!h2,!h1" });
  assert.equal(resolveFailedLimit("@failed", "deploy", "lab", dir), { limit: "other" });
  assert.equal(resolveFailedLimit("@failed", "site", "production", dir), { limit: "prod" });
});

test("no run of the playbook there: invalid input naming the environment's directory", () => {
  const dir = history(header("20261205-110000.000-0002", { h1: "unreachable" }, { playbook: "deploy" }));
  assert.throws(
    () => resolveFailedLimit("@failed", "site", "lab", dir),
    (error: Error) =>
      error instanceof InputError &&
      error.message === `--limit @failed: no run of site on inventory lab in the history (${join(dir, "lab")})`,
  );
  assert.throws(() => resolveFailedLimit("!@failed", "site", "lab", dir), /no run of site/);
});

test("a last run that completed: @failed alone (or with exclusions) is nothing to run; with a host named, that host", () => {
  const dir = history(header("20261205-110000.000-00ff", {}, { exitCode: 0 }));
  const nothing = {
    nothing:
      "--limit @failed: nothing to rerun: the last run of site on lab (20261205-110000.000-00ff, exit 0) completed on every host",
  };
  assert.equal(resolveFailedLimit("@failed", "site", "lab", dir), nothing);
  assert.equal(resolveFailedLimit("@failed,!db-01", "site", "lab", dir), nothing);
  assert.equal(resolveFailedLimit("@failed,web-01", "site", "lab", dir), { limit: "web-01" });
  assert.equal(resolveFailedLimit("!@failed", "site", "lab", dir), { limit: "" }, "every host but none");
});

test.run();
