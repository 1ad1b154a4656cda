// The report of a real lab run in a real browser: the first converge of the reset lab with --diff is recorded, its
// report is written by bin/foobar-infra report and opened from disk in Debian's Chromium (headless, playwright-core):
// one timeline row per host, every bar's width and place the recorded duration and start as a share of the run
// (measured from the DOM), idle time drawn, a changed file's diff visible, nothing fetched, no secret in the page's
// text; a screenshot is kept as the test's artifact.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { capture } from "../../lab/run-command.ts";
import { REPO_ROOT } from "../../lab/paths.ts";
import { historyDir } from "../../lib/cli/history.ts";
import { listHeaders } from "../../lib/report/history-store.ts";
import { withDecodedBase64 } from "../unit/support/base64-runs.ts";
import { launchChromium } from "./browser.ts";
import { converge, freshHosts, hosts, TARGET } from "./harness.ts";

/** Where the test leaves its page and screenshot. */
const ARTIFACTS = join(REPO_ROOT, ".lab", "test-logs", "report");
const secrets = () =>
  Object.values(JSON.parse(readFileSync(join(REPO_ROOT, ".lab/secrets.json"), "utf8")) as Record<string, string>);

/** One bar as the page lays it out: its recorded times and its box, relative to its track. */
interface MeasuredBar {
  host: string;
  kind: string;
  startedAt: number;
  durationMs: number;
  left: number;
  width: number;
  trackWidth: number;
}

test("the report of the lab's first converge, in Chromium: a row per host, bars as long as their recorded durations, idle time, a diff, no secret", async () => {
  const names = hosts.hosts.map((host) => host.name);
  await freshHosts(...names);
  const startedAfter = Date.now();
  const run = await converge("site", ["--diff"]);
  assert.is(run.exitCode, 0, run.output);
  const record = listHeaders(historyDir(), TARGET).at(-1)!;
  assert.ok(record.playbook === "site" && record.startedAt >= startedAfter, "the converge was recorded");
  const history = readFileSync(join(historyDir(), TARGET, `${record.id}.ndjson`), "utf8");

  mkdirSync(ARTIFACTS, { recursive: true });
  const page = join(ARTIFACTS, "report.html");
  const written = await capture(join(REPO_ROOT, "bin/foobar-infra"), ["report", record.id, "-o", page], {
    cwd: REPO_ROOT,
  });
  assert.is(written.code, 0, written.stderr);

  const browser = await launchChromium();
  try {
    const tab = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    const requested: string[] = [];
    tab.on("request", (request) => requested.push(request.url()));
    await tab.goto(pathToFileURL(page).href);
    await tab.screenshot({ path: join(ARTIFACTS, "report.png"), fullPage: true });
    console.log(`report.test: the page and its screenshot are in ${ARTIFACTS}`);

    assert.equal(requested, [pathToFileURL(page).href], "the page fetched nothing but itself");
    const rows = await tab.$$eval(".row[data-host]", (elements) =>
      elements.map((element) => element.getAttribute("data-host")),
    );
    assert.equal([...rows].sort(), [...names].sort(), "one timeline row per host");

    const bars: MeasuredBar[] = await tab.$$eval(".row .bar", (elements) =>
      elements.map((element) => {
        const box = element.getBoundingClientRect();
        const track = element.closest(".track")!.getBoundingClientRect();
        return {
          host: element.closest(".row")!.getAttribute("data-host")!,
          kind: element.getAttribute("data-kind")!,
          startedAt: Number(element.getAttribute("data-started-at")),
          durationMs: Number(element.getAttribute("data-duration-ms")),
          left: box.left - track.left,
          width: box.width,
          trackWidth: track.width,
        };
      }),
    );
    const origin = Math.min(...bars.map((bar) => bar.startedAt));
    const span = Math.max(...bars.map((bar) => bar.startedAt + bar.durationMs)) - origin;
    assert.ok(span > 10_000, `a first converge takes more than 10 s (${span} ms)`);
    const wide = bars.filter((bar) => bar.width > 20);
    assert.ok(
      wide.filter((bar) => bar.kind === "play").length >= names.length,
      "every host has a play bar wider than 20 px",
    );
    assert.ok(
      wide.some((bar) => bar.kind === "task"),
      "a task that took time is drawn",
    );
    assert.ok(
      wide.some((bar) => bar.kind === "idle"),
      "idle time is drawn (a host waiting for another's play)",
    );
    for (const bar of bars) {
      const expectedWidth = (bar.durationMs / span) * bar.trackWidth;
      const expectedLeft = ((bar.startedAt - origin) / span) * bar.trackWidth;
      const where = `${bar.host} ${bar.kind} ${bar.durationMs} ms at +${bar.startedAt - origin} ms`;
      assert.ok(Math.abs(bar.width - expectedWidth) <= 1, `${where}: ${bar.width} px wide, not ${expectedWidth}`);
      assert.ok(Math.abs(bar.left - expectedLeft) <= 1, `${where}: ${bar.left} px from the left, not ${expectedLeft}`);
    }
    const ratios = bars.filter((bar) => bar.width > 100).map((bar) => bar.width / bar.durationMs);
    assert.ok(ratios.length >= 2, "two bars over 100 px to compare");
    assert.ok(
      Math.max(...ratios) / Math.min(...ratios) < 1.02,
      "widths are proportional to the recorded durations (px per ms within 2% across the bars over 100 px)",
    );

    const diff = tab.locator(".change pre.diff").first();
    assert.ok(await diff.isVisible(), "a changed resource's diff is on the page");
    assert.ok((await diff.locator(".add").count()) > 0, "with its added lines");

    const text = withDecodedBase64(`${await tab.textContent("body")}\n${await tab.content()}\n${history}`);
    for (const value of secrets())
      assert.not.ok(
        text.includes(value),
        "a secret value is in the page's text, its source or the run's history record",
      );
  } finally {
    await browser.close();
  }
});

test.run();
