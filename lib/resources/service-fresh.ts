// Resource: restart a running service when one of its config files is newer than the service's start,
// so a config change takes effect before later resources of the same play rely on it (not only at handler time).
import type { ProbePart } from "../facts/probe.ts";
import { parseUnit } from "../facts/systemd.ts";
import { quote } from "../shell.ts";
import { commonFields, type CommonOptions, type Resource } from "./resource.ts";

type Freshness = "fresh" | "stale" | "inactive";

/** The unit's active state and start time followed by the files' mtimes: in a converge, batched with no process of its own. */
function freshnessProbe(service: string, files: readonly string[]): ProbePart[] {
  return [
    { kind: "unit-active", unit: service },
    { kind: "unit-since", unit: service },
    { kind: "mtimes", paths: files },
  ];
}

/**
 * Stale when a file's mtime is not older than the service's last start, both to the nanosecond (to the second only where
 * systemd's own timestamp stands in: then the same second counts, as the service may have missed the write).
 */
function parseFreshness(id: string, stdout: string): Freshness {
  const lines = stdout.split("\n");
  const unit = parseUnit(id, lines.filter((line) => line.includes("=")).join("\n"));
  if (unit.active !== "active" || unit.activeSince === null) return "inactive";
  const mtimes = lines.filter((line) => /^\d+(\.\d+)?$/.test(line)).map(Number);
  return mtimes.some((mtime) => mtime >= unit.activeSince!) ? "stale" : "fresh";
}

export function serviceFresh(service: string, files: string[], options: CommonOptions = {}): Resource<Freshness> {
  const id = `service-fresh:${service}`;
  return {
    id,
    ...commonFields(options),
    probe: () => freshnessProbe(service, files),
    parse: (stdout) => parseFreshness(id, stdout),
    plan: (state) =>
      state === "stale" ? [{ summary: `restart: ${files.join(", ")} changed since ${service} started` }] : [],
    apply: () => `systemctl restart ${quote(service)}`,
  };
}
