// The failover marker: a file failover.ts leaves on every host it re-pointed (the promoted server, the fenced old
// primary, the web hosts) naming the primary it set, so converges can refuse an inventory that still names another.
import { heredocBase64 } from "../../lib/shell.ts";

export const FAILOVER_MARKER = "/etc/foobar/db-failover";

export interface FailoverMarker {
  /** Host name and private address of the primary the failover promoted. */
  primary: string;
  primaryAddress: string;
  /** The primary it replaced. */
  previous: string;
  /** ISO time of the failover. */
  at: string;
}

export function renderMarker(marker: FailoverMarker): string {
  return [
    "# Written by playbooks/failover.ts: the database primary it promoted. Converges refuse an inventory naming another",
    "# primary (swap db_primary/db_replica in hosts.ts); a later failover rewrites this file.",
    `primary=${marker.primary}`,
    `primary_address=${marker.primaryAddress}`,
    `previous=${marker.previous}`,
    `at=${marker.at}`,
    "",
  ].join("\n");
}

/** The marker from the file's text; undefined when there is none (no failover happened here). */
export function parseMarker(text: string): FailoverMarker | undefined {
  const fields = new Map(
    text.split("\n").flatMap((line) => {
      const match = /^([a-z_]+)=(.*)$/.exec(line.trim());
      return match ? [[match[1]!, match[2]!] as const] : [];
    }),
  );
  const primaryAddress = fields.get("primary_address");
  if (!primaryAddress) return undefined;
  return {
    primary: fields.get("primary") ?? primaryAddress,
    primaryAddress,
    previous: fields.get("previous") ?? "?",
    at: fields.get("at") ?? "?",
  };
}

/** Shell text writing the marker (atomically; creates /etc/foobar). */
export function writeMarkerScript(marker: FailoverMarker): string {
  return [
    "install -d -m 0755 /etc/foobar",
    heredocBase64(`base64 -d > ${FAILOVER_MARKER}.tmp`, renderMarker(marker)),
    `mv -f ${FAILOVER_MARKER}.tmp ${FAILOVER_MARKER}`,
  ].join("\n");
}
