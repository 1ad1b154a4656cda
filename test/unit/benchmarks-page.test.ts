// docs/benchmarks.md is what bench/page.ts renders from bench/results; each row from the newest file holding it.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import {
  PAGE_COMMAND,
  PAGE_FILE,
  readResultsFiles,
  renderBenchmarksPage,
  RESULTS_DIR,
  type Results,
} from "../../bench/page.ts";
import { scratchDir } from "./support/scratch.ts";

const summary = (median: number) => ({ median, min: median * 0.9, max: median * 1.1, runs: 3 });

/** A results file holding the as-typed no-op: `site` and `floor` are the medians, in ms. */
function asTypedRun(date: string, quick: boolean, site: number, floor: number): Results {
  return {
    date,
    cpus: 2,
    node: "v20.0.0",
    quick,
    asTyped: {
      hosts: 7,
      command: "bin/foobar-infra site -i lab",
      site: summary(site),
      opensshFloor: summary(floor),
      ssh2Floor: summary(floor * 1.5),
      persisted: {
        command: "bin/foobar-infra site -i lab --persist 60",
        site: summary(site * 0.8),
        opensshFloor: summary(floor / 4),
      },
    },
  };
}

/** An older full run with Ansible, a newer --quick run without, in a scratch bench/results; the page they render. */
function pageFromFixtures(): string {
  const dir = scratchDir("foobar-bench-results-");
  const older: Results = {
    ...asTypedRun("2026-01-01T10:00:00.000Z", false, 500, 250),
    ansible: {
      tasksPerHost: { a: 10, b: 5 },
      default: summary(50_000),
      tuned: summary(40_000),
      mitogen: summary(20_000),
    },
  };
  writeFileSync(join(dir, "2026-01-01T10-30-00-000Z.json"), JSON.stringify(older));
  writeFileSync(
    join(dir, "2026-01-02T10-05-00-000Z.json"),
    JSON.stringify(asTypedRun("2026-01-02T10:00:00.000Z", true, 600, 200)),
  );
  return renderBenchmarksPage(readResultsFiles(dir));
}

/** The table row whose measure starts with `start`. */
function row(page: string, start: string): string {
  const line = page.split("\n").find((candidate) => candidate.startsWith(`| ${start}`));
  assert.ok(line, `no row starting "${start}" in:\n${page}`);
  return line!;
}

test("docs/benchmarks.md is the page bench/page.ts renders from bench/results", () => {
  const stale = `docs/benchmarks.md is stale: run ${PAGE_COMMAND}`;
  assert.ok(existsSync(PAGE_FILE), stale);
  assert.is(readFileSync(PAGE_FILE, "utf8"), renderBenchmarksPage(readResultsFiles(RESULTS_DIR)), stale);
});

test("each row comes from the newest results file holding its measure: a --quick run leaves the Ansible row as it was", () => {
  const page = pageFromFixtures();
  const asTyped = row(page, "`bin/foobar-infra site -i lab`, no-op");
  assert.ok(
    asTyped.includes("(../bench/results/2026-01-02T10-05-00-000Z.json), `--quick` run, Debian 12, MariaDB |"),
    asTyped,
  );
  const ansible = row(page, "Ansible as installed");
  assert.ok(
    ansible.includes("(../bench/results/2026-01-01T10-30-00-000Z.json), full run, Debian 12, MariaDB |"),
    ansible,
  );
  assert.ok(ansible.includes("| 50.0 s (45.0–55.0), 3 runs |"), ansible);
  assert.ok(ansible.includes("the same state as 15 tasks"), ansible);
});

test("a row's ratio is to the floor of its own results file", () => {
  const page = pageFromFixtures();
  assert.ok(row(page, "`bin/foobar-infra site -i lab`, no-op").includes("| 3.00× the OpenSSH floor"), page);
  assert.ok(row(page, "Ansible as installed").includes("| 100× the no-op as typed |"), page);
});

test("Per target: each release and database's no-op from its own newest file; the headline from the newest of all", () => {
  const dir = scratchDir("foobar-bench-targets-");
  const debian13 = {
    ...asTypedRun("2026-01-03T10:00:00.000Z", true, 300, 200),
    target: { os: "Debian 13", db: "mariadb" },
  };
  const mysql = { ...asTypedRun("2026-01-04T10:00:00.000Z", true, 400, 200), target: { os: "Debian 13", db: "mysql" } };
  writeFileSync(join(dir, "old.json"), JSON.stringify(asTypedRun("2026-01-01T10:00:00.000Z", false, 500, 250)));
  writeFileSync(join(dir, "d13.json"), JSON.stringify(debian13));
  writeFileSync(join(dir, "mysql.json"), JSON.stringify(mysql));
  const page = renderBenchmarksPage(readResultsFiles(dir));
  const section = (title: string) => page.split(`### ${title}\n`)[1]?.split("\n\n")[0] ?? "";
  assert.match(
    section("Debian 13, MySQL (database hosts on Debian unstable)"),
    /\| 2\.00× the OpenSSH floor .*mysql\.json/,
  );
  assert.match(section("Debian 13, MariaDB"), /\| 1\.50× the OpenSSH floor .*d13\.json/);
  assert.match(section("Debian 12, MariaDB"), /\| 2\.00× the OpenSSH floor .*old\.json/);
  assert.ok(row(page, "`bin/foobar-infra site -i lab`, no-op").includes("mysql.json"), "the headline: the newest file");
});

test("the same results render the same page, whatever order the files come in", () => {
  const files = readResultsFiles(RESULTS_DIR);
  assert.is(renderBenchmarksPage([...files].reverse()), renderBenchmarksPage(files));
});

test.run();
