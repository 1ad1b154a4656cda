// Which hosts `--limit @failed` reruns after a run: a host with a failed task, an unreachable one, and one whose play
// was skipped (a play it needs did not complete, or an earlier host of a serial play failed); and the command to do it.
import type { RunEvent } from "./events.ts";

/** The host this event says must run again, and why; undefined when it says nothing of the kind. */
export function rerunReason(event: RunEvent): { host: string; why: string } | undefined {
  if (event.type === "unreachable") return { host: event.host, why: "unreachable" };
  if (event.type !== "task") return undefined;
  if (event.status === "failed") return { host: event.host, why: `failed: ${event.id}` };
  if (event.status === "skipped") return { host: event.host, why: `skipped: ${event.message ?? event.play}` };
  return undefined;
}

/** Collects the hosts to rerun, each with its first reason, in the order they were found. */
export class RerunHosts {
  readonly hosts: Record<string, string> = {};

  note(event: RunEvent): void {
    const reason = rerunReason(event);
    if (reason && !(reason.host in this.hosts)) this.hosts[reason.host] = reason.why;
  }
}

/** The command that reruns the hosts that did not complete, as an operator types it. */
export function rerunCommand(playbook: string, environment: string, check: boolean): string {
  return `bin/foobar-infra ${playbook} -i ${environment}${check ? " --check" : ""} --limit @failed`;
}
