// GTID positions of both flavours and what one server has that another lacks (MariaDB domain-server-seq lists,
// MySQL uuid:interval sets): the failover's lag check and its refusal message.
import type { DbFlavor } from "./flavor.ts";

export interface GtidGap {
  /** Transactions the second position lacks (0: it has everything the first has). */
  transactions: number;
  /** e.g. "domain 0: 3 (0-5397-117 of 0-5397-120)" or "3e11fa47-…:118-120 (3)"; "" when there is no gap. */
  description: string;
}

/** MariaDB: "0-5397-120,1-5397-3" → domain → [server, seq]. */
function mariadbPositions(text: string): Map<string, { gtid: string; seq: number }> {
  const positions = new Map<string, { gtid: string; seq: number }>();
  for (const gtid of text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)) {
    const match = /^(\d+)-(\d+)-(\d+)$/.exec(gtid);
    if (!match) throw new Error(`not a MariaDB GTID: "${gtid}"`);
    positions.set(match[1]!, { gtid, seq: Number(match[3]) });
  }
  return positions;
}

type Intervals = [number, number][];

/** MySQL: "uuid:1-100:105,\nuuid2:1-5" → uuid → sorted intervals. */
function mysqlSet(text: string): Map<string, Intervals> {
  const set = new Map<string, Intervals>();
  for (const part of text.replace(/\s+/g, "").split(",").filter(Boolean)) {
    const [uuid, ...ranges] = part.split(":");
    if (!uuid || ranges.length === 0) throw new Error(`not a MySQL GTID set: "${part}"`);
    const intervals = ranges.map((range): [number, number] => {
      const [start, end] = range.split("-").map(Number);
      if (!Number.isInteger(start) || (end !== undefined && !Number.isInteger(end)))
        throw new Error(`not a MySQL GTID interval: "${range}"`);
      return [start!, end ?? start!];
    });
    set.set(
      uuid.toLowerCase(),
      [...(set.get(uuid.toLowerCase()) ?? []), ...intervals].sort((a, b) => a[0] - b[0]),
    );
  }
  return set;
}

/** Intervals of `wanted` not covered by `have`. */
function subtract(wanted: Intervals, have: Intervals): Intervals {
  let rest = wanted;
  for (const [start, end] of have) {
    rest = rest.flatMap(([from, to]): Intervals => {
      if (end < from || start > to) return [[from, to]];
      return [
        ...(from < start ? [[from, start - 1] as [number, number]] : []),
        ...(to > end ? [[end + 1, to] as [number, number]] : []),
      ];
    });
  }
  return rest;
}

function mariadbGap(source: string, target: string): GtidGap {
  const have = mariadbPositions(target);
  const parts: string[] = [];
  let transactions = 0;
  for (const [domain, wanted] of mariadbPositions(source)) {
    const reached = have.get(domain);
    const missing = wanted.seq - (reached?.seq ?? 0);
    if (missing <= 0) continue;
    transactions += missing;
    parts.push(`domain ${domain}: ${missing} (${reached?.gtid ?? "none"} of ${wanted.gtid})`);
  }
  return { transactions, description: parts.join("; ") };
}

function mysqlGap(source: string, target: string): GtidGap {
  const have = mysqlSet(target);
  const parts: string[] = [];
  let transactions = 0;
  for (const [uuid, wanted] of mysqlSet(source)) {
    const missing = subtract(wanted, have.get(uuid) ?? []);
    if (missing.length === 0) continue;
    const count = missing.reduce((sum, [from, to]) => sum + to - from + 1, 0);
    transactions += count;
    parts.push(
      `${uuid}:${missing.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(":")} (${count})`,
    );
  }
  return { transactions, description: parts.join("; ") };
}

/** What `target` lacks of `source` (executed GTIDs as the flavour prints them). */
export function gtidGap(flavor: DbFlavor, source: string, target: string): GtidGap {
  return flavor.name === "mariadb" ? mariadbGap(source, target) : mysqlGap(source, target);
}
