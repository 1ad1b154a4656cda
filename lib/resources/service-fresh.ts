// Resource: restart a running service when one of its config files is newer than the service's start,
// so a config change takes effect before later resources of the same play rely on it (not only at handler time).
import { quote } from "../shell.ts";
import { commonFields, ProbeParseError, type CommonOptions, type Resource } from "./resource.ts";

type Freshness = "fresh" | "stale" | "inactive";

/** Stale when a file's mtime is not older than the service's last start (same second counts: it may have missed it). */
function parseFreshness(id: string, stdout: string): Freshness {
  const lines = stdout.split("\n").filter(Boolean);
  const active = lines.find((line) => line.startsWith("ActiveState="))?.slice("ActiveState=".length);
  if (active === undefined) throw new ProbeParseError(id, "no ActiveState", stdout);
  if (active !== "active") return "inactive";
  const started = /^ActiveEnterTimestamp=@(\d+)$/m.exec(stdout)?.[1];
  if (started === undefined) throw new ProbeParseError(id, "no ActiveEnterTimestamp=@<epoch seconds>", stdout);
  const mtimes = lines.filter((line) => /^\d+$/.test(line)).map(Number);
  return mtimes.some((mtime) => mtime >= Number(started)) ? "stale" : "fresh";
}

export function serviceFresh(service: string, files: string[], options: CommonOptions = {}): Resource<Freshness> {
  const id = `service-fresh:${service}`;
  const fileList = files.map(quote).join(" ");
  return {
    id,
    ...commonFields(options),
    // Two processes (the old probe started six): the start time as epoch seconds (systemd >= 251) and the files' mtimes.
    probe: () => [`systemctl show -p ActiveState -p ActiveEnterTimestamp --timestamp=unix -- ${quote(service)}`, `stat -c %Y ${fileList} 2>/dev/null`].join("\n"),
    parse: (stdout) => parseFreshness(id, stdout),
    plan: (state) => (state === "stale" ? [{ summary: `restart: ${files.join(", ")} changed since ${service} started` }] : []),
    // A restart in the same second as the last write would look stale again next run: wait for the next second.
    apply: () => [`newest=$(stat -c %Y ${fileList} | sort -n | tail -1)`, `while [ "$(date +%s)" -le "$newest" ]; do sleep 0.2; done`, `systemctl restart ${quote(service)}`].join("\n"),
  };
}
