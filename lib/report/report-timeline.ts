// The report's timeline: a row per host on one time axis, its plays as bars placed by their recorded start and
// duration, the idle time between them drawn as such, and the tasks that took time as bars in a lane below.
import type { RunEvent } from "./events.ts";
import { esc, percent } from "./html.ts";
import { timedTasks } from "./profile.ts";
import { duration } from "./words.ts";

type HostPlay = Extract<RunEvent, { type: "host-play" }>;
type Task = Extract<RunEvent, { type: "task" }>;

interface Span {
  origin: number;
  length: number;
}

/** A bar on a host's track: placed and sized by time, its times kept as data attributes (the browser test reads them). */
function bar(kind: string, classes: string, span: Span, startedAt: number, durationMs: number, label: string): string {
  return `<div class="bar ${classes}" data-kind="${kind}" data-started-at="${startedAt}" data-duration-ms="${durationMs}" style="left:${percent(startedAt - span.origin, span.length)};width:${percent(durationMs, span.length)}" title="${esc(label)}"><span>${esc(label)}</span></div>`;
}

/** A play's outcome on a host, from its tasks there: failed, changed or ok (a host not reached failed at its login). */
function playClass(events: readonly RunEvent[], host: string, play: string): string {
  if (play === "gather facts" && events.some((event) => event.type === "unreachable" && event.host === host))
    return "failed";
  const tasks = events.filter((event): event is Task => event.type === "task");
  const own = tasks.filter((task) => task.host === host && task.play === play);
  return own.some((task) => task.status === "failed")
    ? "failed"
    : own.some((task) => task.status === "changed")
      ? "changed"
      : "ok";
}

/** One host's row: its plays, the idle gaps between them, its timed tasks. */
function hostRow(host: string, plays: HostPlay[], tasks: Task[], events: readonly RunEvent[], span: Span): string {
  const sorted = [...plays].sort((a, b) => a.startedAt - b.startedAt);
  const busy = sorted.reduce((sum, play) => sum + play.durationMs, 0);
  const end = Math.max(...sorted.map((play) => play.startedAt + play.durationMs));
  const idle: string[] = [];
  sorted.forEach((play, index) => {
    const previousEnd = index ? sorted[index - 1]!.startedAt + sorted[index - 1]!.durationMs : span.origin;
    if (play.startedAt > previousEnd)
      idle.push(
        bar(
          "idle",
          "idle",
          span,
          previousEnd,
          play.startedAt - previousEnd,
          `idle ${duration(play.startedAt - previousEnd)}`,
        ),
      );
  });
  const playBars = sorted.map((play) =>
    bar(
      "play",
      playClass(events, host, play.play),
      span,
      play.startedAt,
      play.durationMs,
      `${play.play} ${duration(play.durationMs)}`,
    ),
  );
  const taskBars = tasks.map((task) =>
    bar(
      "task",
      task.status,
      span,
      task.startedAt,
      task.durationMs,
      `${task.handler ? "handlers from " : ""}${task.id} ${duration(task.durationMs)}`,
    ),
  );
  return `<div class="row" data-host="${esc(host)}">
<div class="who"><b>${esc(host)}</b><small>done at ${duration(end - span.origin)} · busy ${duration(busy)} · idle ${duration(end - span.origin - busy)}</small></div>
<div class="track"><div class="lane plays">${idle.join("")}${playBars.join("")}</div><div class="lane tasks">${taskBars.join("")}</div></div>
</div>`;
}

/** The timeline section: one row per host that has recorded plays, in the order the run started them. */
export function timelineSection(events: readonly RunEvent[]): string {
  const hostPlays = events.filter((event): event is HostPlay => event.type === "host-play");
  if (hostPlays.length === 0)
    return `<section id="timeline"><h2>Timeline</h2><p>No host got as far as a play.</p></section>`;
  const tasks = timedTasks(events);
  const origin = Math.min(...hostPlays.map((play) => play.startedAt));
  const end = Math.max(
    ...hostPlays.map((play) => play.startedAt + play.durationMs),
    ...tasks.map((task) => task.startedAt + task.durationMs),
  );
  const span = { origin, length: end - origin };
  const hosts = [...new Set(hostPlays.map((play) => play.host))];
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map((at) => `<span style="left:${percent(at, 1)}">${duration(span.length * at)}</span>`)
    .join("");
  return `<section id="timeline"><h2>Timeline</h2>
<p class="legend"><i class="ok"></i>ok <i class="changed"></i>changed <i class="failed"></i>failed <i class="idle"></i>idle (waiting for other hosts) — upper lane: plays, lower lane: tasks that took time</p>
<div class="axis"><div class="who"></div><div class="ticks">${ticks}</div></div>
${hosts
  .map((host) =>
    hostRow(
      host,
      hostPlays.filter((play) => play.host === host),
      tasks.filter((task) => task.host === host),
      events,
      span,
    ),
  )
  .join("\n")}
</section>`;
}
