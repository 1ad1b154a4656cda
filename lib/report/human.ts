// Human reporter: changed/failed lines as they happen, each under its own play's header (hosts go through plays on
// their own, so a header is printed again when a line belongs to another play), a live progress line on a TTY, the recap.
import { mask } from "../mask.ts";
import { emptyCounts, type Counts, type Reporter, type RunEvent } from "./events.ts";
import { counted, duration } from "./words.ts";

export interface HumanOptions {
  verbosity: number;
  color: boolean;
  /** Live progress line (only on a TTY). */
  live: boolean;
  write?: (text: string) => void;
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

export function humanReporter(options: HumanOptions): Reporter {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const paint = (color: keyof typeof codes, text: string) =>
    options.color ? `\x1b[${codes[color]}m${text}\x1b[0m` : text;
  const counts = new Map<string, Counts>();
  let progress = "";
  /** The play whose header was printed last: a task line of another play prints that play's header first. */
  let headerPlay: string | undefined;
  const header = (play: string, hosts: string[]) => {
    headerPlay = play;
    out(paint("bold", `PLAY ${play} [${hosts.join(", ")}]`));
  };
  const out = (text: string) => {
    if (progress) write("\r\x1b[2K");
    write(`${mask(text)}\n`);
    if (progress) write(progress);
  };
  const tally = (host: string) => {
    if (!counts.has(host)) counts.set(host, emptyCounts());
    return counts.get(host)!;
  };
  const showProgress = () => {
    if (!options.live) return;
    const done = [...counts.values()].reduce(
      (sum, item) => sum + item.ok + item.changed + item.failed + item.skipped,
      0,
    );
    progress = paint("dim", `  … ${counted(done, "task")} checked on ${counted(counts.size, "host")}`);
    write(`\r\x1b[2K${progress}`);
  };
  const diffText = (diff: string) =>
    diff
      .split("\n")
      .map((text) =>
        text.startsWith("+") && !text.startsWith("+++")
          ? paint("green", text)
          : text.startsWith("-") && !text.startsWith("---")
            ? paint("red", text)
            : text,
      )
      .map((text) => `      ${text}`)
      .join("\n");
  return {
    emit(event: RunEvent) {
      switch (event.type) {
        case "start":
          out(
            paint(
              "bold",
              `PLAYBOOK ${event.playbook} · inventory ${event.environment} · ${counted(event.hosts.length, "host")}${event.check ? " · check mode (nothing is changed)" : ""}`,
            ),
          );
          break;
        case "play":
          header(event.play, event.hosts);
          break;
        case "task": {
          tally(event.host)[event.status]++;
          const label = `${event.handler ? "handler " : ""}${event.id}`;
          const shown = event.status === "changed" || event.status === "failed" || options.verbosity > 0;
          if (shown && event.play !== headerPlay) header(event.play, [event.host]);
          if (event.status === "changed") {
            out(
              `  ${paint("yellow", "changed")}  ${event.host}  ${label}: ${(event.changes ?? []).map((change) => change.summary).join(", ")}`,
            );
            for (const change of event.changes ?? []) if (change.diff) out(diffText(change.diff));
          } else if (event.status === "failed") {
            out(`  ${paint("red", "FAILED")}   ${event.host}  ${label}: ${event.message ?? ""}`);
          } else if (options.verbosity > 0) {
            out(`  ${paint("green", event.status)}       ${event.host}  ${label}`);
          }
          showProgress();
          break;
        }
        case "unreachable":
          tally(event.host).unreachable++;
          out(`  ${paint("red", "UNREACHABLE")} ${event.host}: ${event.message}`);
          break;
        case "waiting":
          out(`  ${paint("yellow", "waiting")}  ${event.host}  ${event.message}`);
          break;
        case "metrics":
          if (event.error) out(`  ${paint("yellow", "metrics")}  publishing to ${event.host} failed: ${event.error}`);
          else if (options.verbosity > 0) out(`  metrics  ${event.files} file(s) published to ${event.host}`);
          break;
        case "command":
          if (options.verbosity > 1) out(paint("dim", `  [${event.host}] $ ${event.script.replace(/\n/g, "\n    ")}`));
          break;
        case "recap":
          progress = "";
          if (options.live) write("\r\x1b[2K");
          out(paint("bold", "RECAP"));
          for (const [host, item] of Object.entries(event.hosts)) {
            const color = item.failed || item.unreachable ? "red" : item.changed ? "yellow" : "green";
            out(
              `  ${paint(color, host.padEnd(16))} ok=${item.ok} changed=${item.changed} failed=${item.failed} unreachable=${item.unreachable} skipped=${item.skipped}`,
            );
          }
          out(`  ${duration(event.durationMs, 2)}${event.check ? " (check mode)" : ""}, exit ${event.exitCode}`);
          break;
      }
    },
    close() {
      if (progress) write("\r\x1b[2K");
      progress = "";
    },
  };
}
