// `runs`: the recorded runs of an environment as a table, oldest first: id, start, who, playbook, exit code, duration,
// and the hosts that changed, failed or were not reached, with the count of the others.
import type { Counts } from "./events.ts";
import type { RunHeader } from "./run-record.ts";
import { counted, duration } from "./words.ts";

/** A host's part in words when there is something to say: "web-01 changed 3", "db-01 failed 1", "lb-01 unreachable". */
function hostWords(host: string, counts: Counts): string | undefined {
  if (counts.unreachable) return `${host} unreachable`;
  const parts = [
    counts.failed ? `failed ${counts.failed}` : "",
    counts.changed ? `changed ${counts.changed}` : "",
    counts.skipped && !counts.failed ? `skipped ${counts.skipped}` : "",
  ].filter(Boolean);
  return parts.length ? `${host} ${parts.join(" ")}` : undefined;
}

/** The hosts column: every host with something to say, then how many had nothing. */
function hostsColumn(hosts: Record<string, Counts>): string {
  const said = Object.entries(hosts).flatMap(([host, counts]) => hostWords(host, counts) ?? []);
  const quiet = Object.keys(hosts).length - said.length;
  return [...said, ...(quiet ? [`${counted(quiet, "host")} unchanged`] : [])].join(", ");
}

export function runsTable(headers: readonly RunHeader[]): string[] {
  const rows = headers.map((header) => [
    header.id,
    new Date(header.startedAt).toISOString().slice(0, 16).replace("T", " "),
    `${header.user}@${header.controller}`,
    `${header.playbook}${header.check ? " --check" : ""}${header.limit ? ` -l ${header.limit}` : ""}`,
    String(header.exitCode),
    duration(header.durationMs),
    hostsColumn(header.hosts),
  ]);
  const titles = ["ID", "STARTED (UTC)", "BY", "PLAYBOOK", "EXIT", "TIME", "HOSTS"];
  const widths = titles.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]!)))
      .join("  ")
      .trimEnd();
  return [line(titles), ...rows.map(line)];
}
