// What differs between two recorded runs, per host and resource: a resource's outcome (ok, changed and what, failed
// and why, skipped), a host reached in one and not the other, a host in one run only.
import type { RunEvent } from "./events.ts";
import type { RunHeader, RunRecord } from "./run-record.ts";
import { duration } from "./words.ts";

type TaskEvent = Extract<RunEvent, { type: "task" }>;

/** A host's outcome in one run: unreachable, or each task's outcome by play and resource. */
interface HostOutcome {
  unreachable?: string;
  tasks: Map<string, string>;
}

/** A task's outcome in words: its status, and what changed or why it failed or was skipped. */
function outcomeOf(task: TaskEvent): string {
  if (task.status === "changed") return `changed: ${(task.changes ?? []).map((change) => change.summary).join(", ")}`;
  if (task.status === "failed" || task.status === "skipped") return `${task.status}: ${task.message ?? ""}`;
  return task.status;
}

function outcomes(record: RunRecord): Map<string, HostOutcome> {
  const hosts = new Map<string, HostOutcome>(
    Object.keys(record.header.hosts).map((host) => [host, { tasks: new Map() }]),
  );
  const of = (host: string) => hosts.get(host) ?? hosts.set(host, { tasks: new Map() }).get(host)!;
  for (const event of record.events) {
    if (event.type === "unreachable") of(event.host).unreachable = event.message;
    if (event.type === "task")
      of(event.host).tasks.set(`${event.play} › ${event.handler ? "handler " : ""}${event.id}`, outcomeOf(event));
  }
  return hosts;
}

/** A run as a line says it: id, playbook and inventory, when, exit code. */
export function runTitle(header: RunHeader): string {
  const when = new Date(header.startedAt).toISOString().slice(0, 16).replace("T", " ");
  return `${header.id} (${header.playbook}${header.check ? " --check" : ""} on ${header.environment}, ${when} UTC, ${duration(header.durationMs)}, exit ${header.exitCode})`;
}

/** The lines of one host's differences (none: the host did the same in both runs). */
function hostLines(a: HostOutcome, b: HostOutcome): string[] {
  if (a.unreachable || b.unreachable) {
    if (a.unreachable && b.unreachable) return [];
    return [`    ${a.unreachable ? "unreachable" : "reached"} → ${b.unreachable ? "unreachable" : "reached"}`];
  }
  const keys = [...new Set([...a.tasks.keys(), ...b.tasks.keys()])];
  return keys
    .filter((key) => a.tasks.get(key) !== b.tasks.get(key))
    .map((key) => `    ${key}: ${a.tasks.get(key) ?? "(not run)"} → ${b.tasks.get(key) ?? "(not run)"}`);
}

/** `runs diff A B`: per host, each resource whose outcome differs, A's → B's; the hosts that did the same, named. */
export function runDiffLines(a: RunRecord, b: RunRecord): string[] {
  const before = outcomes(a);
  const after = outcomes(b);
  const lines = [`A ${runTitle(a.header)}`, `B ${runTitle(b.header)}`];
  const same: string[] = [];
  for (const host of [...new Set([...before.keys(), ...after.keys()])]) {
    const inA = before.get(host);
    const inB = after.get(host);
    if (!inA || !inB) {
      lines.push(`  ${host}: only in ${inA ? "A" : "B"}`);
      continue;
    }
    const differences = hostLines(inA, inB);
    if (differences.length === 0) same.push(host);
    else lines.push(`  ${host}`, ...differences);
  }
  lines.push(same.length ? `  the same in both: ${same.join(", ")}` : "  no host did the same in both");
  return lines;
}
