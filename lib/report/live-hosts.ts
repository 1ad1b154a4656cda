// Live progress on a terminal: a line per host with its plays done of its total, the play it is in and the last task
// it finished (or why it stopped), fitted to the terminal's width and height.
import type { RunEvent } from "./events.ts";
import { counted } from "./words.ts";

interface HostLine {
  playsDone: number;
  playsTotal?: number;
  tasks: number;
  play?: string;
  task?: string;
  /** Set once the host stopped: failed, unreachable or skipped, and what. */
  stopped?: string;
}

/** The login, facts and first probe: reported as a play of its own, not one of the playbook's. */
const GATHER = "gather facts";

export class LiveHosts {
  private readonly hosts = new Map<string, HostLine>();

  /** Take in an event; true when a line changed. */
  note(event: RunEvent): boolean {
    switch (event.type) {
      case "start":
        for (const host of event.hosts)
          this.hosts.set(host, { playsDone: 0, playsTotal: event.hostPlays?.[host], tasks: 0 });
        return true;
      case "task": {
        const line = this.line(event.host);
        line.tasks++;
        line.play = event.play;
        line.task = event.id;
        if (event.status === "failed") line.stopped ??= `failed: ${event.id}`;
        if (event.status === "skipped" && event.id === "play") {
          line.playsDone++;
          line.stopped ??= `skipped: ${event.message ?? event.play}`;
        }
        return true;
      }
      case "host-play":
        if (event.play !== GATHER) this.line(event.host).playsDone++;
        return event.play !== GATHER;
      case "unreachable":
        this.line(event.host).stopped ??= "unreachable";
        return true;
      default:
        return false;
    }
  }

  /** The block's lines, each at most `width` characters, at most `rows` lines (the rest summed up in the last). */
  lines(width: number, rows: number): string[] {
    const entries = [...this.hosts];
    const nameWidth = Math.max(0, ...entries.map(([host]) => host.length));
    const text = entries.map(([host, line]) => `  ${host.padEnd(nameWidth)}  ${this.describe(line)}`);
    const shown =
      text.length > rows
        ? [...text.slice(0, rows - 1), `  … and ${counted(text.length - rows + 1, "more host")}`]
        : text;
    return shown.map((line) => (line.length > width ? `${line.slice(0, Math.max(0, width - 1))}…` : line));
  }

  private describe(line: HostLine): string {
    const plays = `${line.playsDone}/${line.playsTotal ?? "?"}`;
    const tasks = counted(line.tasks, "task");
    if (line.stopped) return `${plays}  ${line.stopped} (${tasks})`;
    if (line.playsTotal !== undefined && line.playsDone >= line.playsTotal) return `${plays}  done (${tasks})`;
    if (!line.play) return `${plays}  connecting`;
    return `${plays}  ${line.play} · ${line.task} (${tasks})`;
  }

  private line(host: string): HostLine {
    if (!this.hosts.has(host)) this.hosts.set(host, { playsDone: 0, tasks: 0 });
    return this.hosts.get(host)!;
  }
}
