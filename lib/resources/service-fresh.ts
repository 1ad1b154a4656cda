// Resource: restart a running service when one of its config files is newer than the service's start,
// so a config change takes effect before later resources of the same play rely on it (not only at handler time).
import { quote } from "../shell.ts";
import { commonFields, ProbeParseError, type CommonOptions, type Resource } from "./resource.ts";

type Freshness = "fresh" | "stale" | "inactive";

export function serviceFresh(service: string, files: string[], options: CommonOptions = {}): Resource<Freshness> {
  const id = `service-fresh:${service}`;
  const fileList = files.map(quote).join(" ");
  return {
    id,
    ...commonFields(options),
    probe: () =>
      [
        `[ "$(systemctl is-active ${quote(service)})" = active ] || { echo inactive; exit 0; }`,
        `started=$(date -d "$(systemctl show -p ActiveEnterTimestamp --value ${quote(service)})" +%s)`,
        `newest=$(stat -c %Y ${fileList} 2>/dev/null | sort -n | tail -1)`,
        `if [ -n "$newest" ] && [ "$newest" -ge "$started" ]; then echo stale; else echo fresh; fi`,
      ].join("\n"),
    parse(stdout) {
      const state = stdout.trim();
      if (state !== "fresh" && state !== "stale" && state !== "inactive") throw new ProbeParseError(id, "expected fresh, stale or inactive", stdout);
      return state;
    },
    plan: (state) => (state === "stale" ? [{ summary: `restart: ${files.join(", ")} changed since ${service} started` }] : []),
    // A restart in the same second as the last write would look stale again next run: wait for the next second.
    apply: () => [`newest=$(stat -c %Y ${fileList} | sort -n | tail -1)`, `while [ "$(date +%s)" -le "$newest" ]; do sleep 0.2; done`, `systemctl restart ${quote(service)}`].join("\n"),
  };
}
