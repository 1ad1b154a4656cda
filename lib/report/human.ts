// Human reporter: changed/failed lines as they happen, each under its own play's header (hosts go through plays on
// their own, so a header is printed again when a line belongs to another play), live progress lines on a TTY (one per
// host), the recap and the command that reruns the hosts that did not complete.
import { mask } from "../mask.ts";
import type { Reporter, RunEvent } from "./events.ts";
import { LiveHosts } from "./live-hosts.ts";
import { RerunHosts, rerunCommand } from "./rerun.ts";
import { counted, duration } from "./words.ts";

export interface HumanOptions {
  verbosity: number;
  color: boolean;
  /** Live progress lines, one per host (only on a TTY). */
  live: boolean;
  /** The terminal's size the live lines fit in (default: stdout's, else 80 by 24). */
  terminal?: { columns: number; rows: number };
  /** After the recap, the command that reruns the hosts that did not complete (a run of its own, not a step). */
  rerunHint?: boolean;
  write?: (text: string) => void;
}

const codes = { red: 31, green: 32, yellow: 33, cyan: 36, dim: 2, bold: 1 } as const;

export function humanReporter(options: HumanOptions): Reporter {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  const paint = (color: keyof typeof codes, text: string) =>
    options.color ? `\x1b[${codes[color]}m${text}\x1b[0m` : text;
  const live = new LiveHosts();
  const rerun = new RerunHosts();
  let start: Extract<RunEvent, { type: "start" }> | undefined;
  /** The live block as drawn, and how many lines it takes. */
  let progress = "";
  let progressLines = 0;
  const erase = () => (progressLines > 1 ? `\r\x1b[${progressLines - 1}A\x1b[J` : "\r\x1b[J");
  /** The play whose header was printed last: a task line of another play prints that play's header first. */
  let headerPlay: string | undefined;
  const header = (play: string, hosts: string[]) => {
    headerPlay = play;
    out(paint("bold", `PLAY ${play} [${hosts.join(", ")}]`));
  };
  const out = (text: string) => {
    if (progress) write(erase());
    write(`${mask(text)}\n`);
    if (progress) write(progress);
  };
  const showProgress = (event: RunEvent) => {
    if (!options.live || !live.note(event)) return;
    const { columns, rows } = options.terminal ?? {
      columns: process.stdout.columns || 80,
      rows: process.stdout.rows || 24,
    };
    const lines = live.lines(columns - 1, Math.max(3, rows - 2));
    const erased = progress ? erase() : "";
    progress = mask(lines.map((line) => paint("dim", line)).join("\n"));
    progressLines = lines.length;
    write(`${erased}${progress}`);
  };
  const clearProgress = () => {
    if (progress) write(erase());
    progress = "";
    progressLines = 0;
  };
  /** The command that runs the hosts that did not complete again, and why each did not. */
  const rerunLines = (run: Extract<RunEvent, { type: "start" }>) => {
    const hosts = Object.entries(rerun.hosts);
    if (hosts.length === 0) return;
    out(
      `  ${paint("yellow", "rerun")} what did not complete: ${rerunCommand(run.playbook, run.environment, run.check)}`,
    );
    for (const [host, why] of hosts) out(`    ${host}: ${why}`);
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
      rerun.note(event);
      switch (event.type) {
        case "start":
          start = event;
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
          break;
        }
        case "unreachable":
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
          clearProgress();
          out(paint("bold", "RECAP"));
          for (const [host, item] of Object.entries(event.hosts)) {
            const color = item.failed || item.unreachable ? "red" : item.changed ? "yellow" : "green";
            out(
              `  ${paint(color, host.padEnd(16))} ok=${item.ok} changed=${item.changed} failed=${item.failed} unreachable=${item.unreachable} skipped=${item.skipped}`,
            );
          }
          out(`  ${duration(event.durationMs, 2)}${event.check ? " (check mode)" : ""}, exit ${event.exitCode}`);
          if (options.rerunHint && start) rerunLines(start);
          return;
      }
      showProgress(event);
    },
    close: clearProgress,
  };
}
