// A run's outcome per host as Prometheus text files (node_exporter's textfile collector): drift found by a check, and
// what each converge changed, failed and took. Recorded from the run's events; written by lib/runner/publish-metrics.ts.
import type { Reporter, RunEvent } from "./events.ts";

/** What one host did in this run. */
interface HostOutcome {
  changed: number;
  failed: number;
  unreachable: boolean;
  /** Resources that would change (a check) or changed, per play the host was in. */
  changedByPlay: Map<string, number>;
  firstStart?: number;
  lastEnd?: number;
}

/** A file of the textfile collector: its name in the directory and its text. */
export interface MetricsFile {
  name: string;
  text: string;
}

const GATHER = "gather facts";

/** Prometheus label value: backslash, double quote and newline escaped (the text exposition format). */
const label = (value: string) => value.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

const metric = (name: string, help: string, lines: string[]) =>
  [`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...lines].join("\n");

/** Records the run's events (a Reporter to fan out to), then renders each host's files. */
export class RunMetricsRecorder implements Reporter {
  private readonly hosts = new Map<string, HostOutcome>();

  private outcome(host: string): HostOutcome {
    let found = this.hosts.get(host);
    if (!found) {
      found = { changed: 0, failed: 0, unreachable: false, changedByPlay: new Map() };
      this.hosts.set(host, found);
    }
    return found;
  }

  emit(event: RunEvent): void {
    if (event.type === "start") for (const host of event.hosts) this.outcome(host);
    if (event.type === "unreachable") this.outcome(event.host).unreachable = true;
    if (event.type === "host-play") {
      const host = this.outcome(event.host);
      if (event.play !== GATHER && !host.changedByPlay.has(event.play)) host.changedByPlay.set(event.play, 0);
      host.firstStart = Math.min(host.firstStart ?? event.startedAt, event.startedAt);
      host.lastEnd = Math.max(host.lastEnd ?? 0, event.startedAt + event.durationMs);
    }
    if (event.type === "task") {
      const host = this.outcome(event.host);
      if (event.status === "failed") host.failed++;
      if (event.status === "changed" && !event.handler) {
        host.changed++;
        host.changedByPlay.set(event.play, (host.changedByPlay.get(event.play) ?? 0) + 1);
      }
    }
  }

  close(): void {}

  /**
   * A check's files: per reachable host, `foobar-check-HOST.prom` (drift per play, the host's exit code, when it was
   * checked); per host, `foobar-reach-HOST.prom` (unreachable or not). An unreachable host's check file is left as
   * it was, so its last check ages (ConfigurationCheckStale) instead of reading as "no drift".
   */
  checkFiles(nowSeconds: number): MetricsFile[] {
    return [...this.hosts].flatMap(([name, host]) => {
      const reach: MetricsFile = {
        name: `foobar-reach-${name}.prom`,
        text: `${metric("foobar_check_unreachable", "1 when the last check could not log in to the host.", [
          `foobar_check_unreachable{host="${label(name)}"} ${host.unreachable ? 1 : 0}`,
        ])}\n`,
      };
      if (host.unreachable) return [reach];
      const code = host.failed > 0 ? 1 : host.changed > 0 ? 2 : 0;
      const plays = [...host.changedByPlay].map(
        ([play, count]) => `foobar_drift_resources{host="${label(name)}",play="${label(play)}"} ${count}`,
      );
      const text = [
        metric("foobar_drift_resources", "Resources the last check found would change, per play.", plays),
        metric("foobar_check_exit_code", "The last check's exit code for this host (0 converged, 1 failed, 2 drift).", [
          `foobar_check_exit_code{host="${label(name)}"} ${code}`,
        ]),
        metric("foobar_check_last_run_timestamp_seconds", "When the host was last checked (Unix time).", [
          `foobar_check_last_run_timestamp_seconds{host="${label(name)}"} ${nowSeconds}`,
        ]),
      ].join("\n");
      return [reach, { name: `foobar-check-${name}.prom`, text: `${text}\n` }];
    });
  }

  /**
   * A converge's files: per host, `foobar-converge-HOST.prom` (changed, failed, duration); per host that converged
   * cleanly, `foobar-converge-success-HOST.prom` (when), left as it was after a failed one.
   */
  convergeFiles(nowSeconds: number): MetricsFile[] {
    return [...this.hosts].flatMap(([name, host]) => {
      const failed = host.failed + (host.unreachable ? 1 : 0);
      const seconds =
        host.firstStart !== undefined && host.lastEnd !== undefined ? (host.lastEnd - host.firstStart) / 1000 : 0;
      const labels = `{host="${label(name)}"}`;
      const text = [
        metric("foobar_converge_changed", "Resources the last converge changed on the host.", [
          `foobar_converge_changed${labels} ${host.changed}`,
        ]),
        metric("foobar_converge_failed", "Failed tasks of the last converge (1 when the host was unreachable).", [
          `foobar_converge_failed${labels} ${failed}`,
        ]),
        metric("foobar_converge_duration_seconds", "How long the last converge worked on the host.", [
          `foobar_converge_duration_seconds${labels} ${seconds.toFixed(3)}`,
        ]),
      ].join("\n");
      const files: MetricsFile[] = [{ name: `foobar-converge-${name}.prom`, text: `${text}\n` }];
      if (failed === 0)
        files.push({
          name: `foobar-converge-success-${name}.prom`,
          text: `${metric("foobar_converge_last_success_timestamp_seconds", "When the host last converged with no failure (Unix time).", [`foobar_converge_last_success_timestamp_seconds${labels} ${nowSeconds}`])}\n`,
        });
      return files;
    });
  }
}
