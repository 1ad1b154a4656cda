// --profile: at the end of a run, the slowest tasks and each host's way through the plays — busy inside a play, idle
// while the play before waits for its slowest host — so the next slowdown is found in one run (like profile_tasks).
import type { Reporter, RunEvent } from "./events.ts";
import { duration } from "./words.ts";

type TaskEvent = Extract<RunEvent, { type: "task" }>;
type HostPlayEvent = Extract<RunEvent, { type: "host-play" }>;

/** The tasks that took time, longest first (a play's handlers share one exec: counted once, under the first of them). */
export function timedTasks(events: readonly RunEvent[]): TaskEvent[] {
  const seen = new Set<string>();
  return events
    .filter((event): event is TaskEvent => event.type === "task" && (event.durationMs ?? 0) > 0)
    .filter((event) => {
      const key = `${event.host} ${event.startedAt} ${event.durationMs}`;
      return !seen.has(key) && seen.add(key);
    })
    .sort((a, b) => b.durationMs - a.durationMs);
}

/** The report's lines from a run's events (exported for tests). */
export function profileLines(events: readonly RunEvent[], slowest = 10): string[] {
  const start = events.find((event) => event.type === "start");
  const hostPlays = events.filter((event): event is HostPlayEvent => event.type === "host-play");
  if (!start || hostPlays.length === 0) return [];
  const origin = Math.min(...hostPlays.map((event) => event.startedAt));
  const at = (epochMs: number) => epochMs - origin;
  const tasks = timedTasks(events).slice(0, slowest);
  const lines = ["PROFILE", `  slowest tasks (the exec that applied each, with the re-probe of what follows):`];
  for (const task of tasks)
    lines.push(
      `  ${duration(task.durationMs!).padStart(8)}  ${task.host.padEnd(10)} ${task.handler ? "handlers from " : ""}${task.id}  [${task.play}]`,
    );
  if (tasks.length === 0) lines.push("    none: nothing was applied");
  const byHost = new Map<string, HostPlayEvent[]>();
  for (const event of hostPlays) byHost.set(event.host, [...(byHost.get(event.host) ?? []), event]);
  const done = (host: string) => Math.max(...byHost.get(host)!.map((event) => at(event.startedAt + event.durationMs)));
  const hosts = [...byHost.keys()].sort((a, b) => done(b) - done(a));
  lines.push("  hosts, last to finish first (busy: inside its plays; idle: waiting between them for other hosts):");
  for (const host of hosts) {
    const plays = byHost.get(host)!.sort((a, b) => a.startedAt - b.startedAt);
    const busy = plays.reduce((sum, event) => sum + event.durationMs, 0);
    lines.push(
      `  ${host.padEnd(10)} done at ${duration(done(host))}, busy ${duration(busy)}, idle ${duration(done(host) - busy)}`,
    );
    lines.push(
      `      ${plays.map((event) => `${event.play} ${duration(at(event.startedAt))} +${duration(event.durationMs)}`).join(" | ")}`,
    );
  }
  return lines;
}

/** Collects the run's events and prints the profile when the run ends. */
export function profileReporter(write: (line: string) => void): Reporter {
  const events: RunEvent[] = [];
  return {
    emit: (event) => {
      if (event.type === "start" || event.type === "task" || event.type === "host-play") events.push(event);
    },
    close: () => profileLines(events).forEach((line) => write(line)),
  };
}
