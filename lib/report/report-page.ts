// `report`: one recorded run as a self-contained HTML page (inline style, no script, nothing fetched; prints as it
// shows): the recap, each host's timeline, the changed resources with their masked diffs, the failures, the slowest tasks.
import type { RunEvent } from "./events.ts";
import { esc } from "./html.ts";
import { timedTasks } from "./profile.ts";
import { rerunCommand } from "./rerun.ts";
import { runTitle } from "./run-diff.ts";
import type { RunRecord } from "./run-record.ts";
import { REPORT_STYLE } from "./report-style.ts";
import { timelineSection } from "./report-timeline.ts";
import { duration } from "./words.ts";

type Task = Extract<RunEvent, { type: "task" }>;
const tasksOf = (events: readonly RunEvent[]) => events.filter((event): event is Task => event.type === "task");

function recapSection({ header }: RunRecord): string {
  const rows = Object.entries(header.hosts).map(
    ([host, counts]) =>
      `<tr><td>${esc(host)}</td>${(["ok", "changed", "failed", "unreachable", "skipped"] as const).map((key) => `<td class="n${counts[key] && key !== "ok" ? ` ${key === "changed" ? "changed" : "failed"}-text` : ""}">${counts[key]}</td>`).join("")}</tr>`,
  );
  const rerun = Object.entries(header.rerun);
  return `<section id="recap"><h2>Recap</h2>
<table><thead><tr><th>host</th><th>ok</th><th>changed</th><th>failed</th><th>unreachable</th><th>skipped</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
<p>${duration(header.durationMs, 2)}${header.check ? " (check mode)" : ""}, exit ${header.exitCode}</p>
${rerun.length ? `<p>Rerun what did not complete: <code>${esc(rerunCommand(header.playbook, header.environment, header.check))}</code> (${rerun.map(([host, why]) => `${esc(host)}: ${esc(why)}`).join("; ")})</p>` : ""}
</section>`;
}

/** How many lines of one diff the page shows (a release's bundle is a diff of tens of thousands). */
const DIFF_LINES = 200;

/** A diff's first lines, added and removed ones marked, and how many more the run's record holds. */
function diffBlock(diff: string): string {
  const all = diff.split("\n");
  const rest = all.length - DIFF_LINES;
  const lines = all.slice(0, DIFF_LINES).map((line) => {
    const kind =
      line.startsWith("+") && !line.startsWith("+++")
        ? "add"
        : line.startsWith("-") && !line.startsWith("---")
          ? "del"
          : "";
    return kind ? `<span class="${kind}">${esc(line)}</span>` : esc(line);
  });
  const more = rest > 0 ? `\n… ${rest} more lines (bin/foobar-infra runs show ID prints the whole diff)` : "";
  return `<pre class="diff">${lines.join("\n")}${more}</pre>`;
}

function changesSection(events: readonly RunEvent[], check: boolean): string {
  const changed = tasksOf(events).filter((task) => task.status === "changed");
  const items = changed.map(
    (task) => `<div class="change" data-host="${esc(task.host)}" data-id="${esc(task.id)}">
<h3>${esc(task.host)} · ${task.handler ? "handler " : ""}${esc(task.id)} <small>[${esc(task.play)}]</small></h3>
<div>${(task.changes ?? []).map((change) => esc(change.summary)).join(", ")}</div>
${(task.changes ?? []).flatMap((change) => (change.diff ? [diffBlock(change.diff)] : [])).join("\n")}</div>`,
  );
  const noDiffs = changed.length > 0 && !changed.some((task) => task.changes?.some((change) => change.diff));
  return `<section id="changes"><h2>${check ? "Would change" : "Changed"} (${changed.length})</h2>
${items.length ? items.join("\n") : "<p>Nothing changed.</p>"}
${noDiffs ? "<p>File diffs are recorded when the run is given <code>--diff</code>.</p>" : ""}</section>`;
}

function failuresSection(events: readonly RunEvent[]): string {
  const failures = events.flatMap((event) =>
    event.type === "unreachable"
      ? [`<li><b>${esc(event.host)}</b> unreachable: ${esc(event.message)}</li>`]
      : event.type === "task" && event.status === "failed"
        ? [
            `<li><b>${esc(event.host)}</b> ${esc(event.id)} <small>[${esc(event.play)}]</small>: <pre class="diff">${esc(event.message ?? "")}</pre></li>`,
          ]
        : [],
  );
  return `<section id="failures"><h2>Failures (${failures.length})</h2>
${failures.length ? `<ul>${failures.join("\n")}</ul>` : "<p>None.</p>"}</section>`;
}

function slowestSection(events: readonly RunEvent[]): string {
  const rows = timedTasks(events)
    .slice(0, 10)
    .map(
      (task) =>
        `<tr><td class="n">${duration(task.durationMs)}</td><td>${esc(task.host)}</td><td>${task.handler ? "handlers from " : ""}${esc(task.id)}</td><td>${esc(task.play)}</td></tr>`,
    );
  return `<section id="slowest"><h2>Slowest tasks</h2>
${rows.length ? `<table><thead><tr><th>time</th><th>host</th><th>task (the exec that applied it)</th><th>play</th></tr></thead><tbody>${rows.join("\n")}</tbody></table>` : "<p>Nothing was applied.</p>"}</section>`;
}

export function reportPage(record: RunRecord): string {
  const { header, events } = record;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(`${header.playbook} on ${header.environment} · ${header.id}`)}</title>
<style>${REPORT_STYLE}</style></head>
<body>
<h1>${esc(header.playbook)}${header.check ? " --check" : ""} on ${esc(header.environment)}</h1>
<p class="meta">run ${esc(runTitle(header))}<br>by ${esc(header.user)} on ${esc(header.controller)} · commit ${esc(header.commit ?? "unknown")}${header.limit ? ` · --limit ${esc(header.limit)}` : ""}</p>
${recapSection(record)}
${timelineSection(events)}
${changesSection(events, header.check)}
${failuresSection(events)}
${slowestSection(events)}
</body></html>
`;
}
