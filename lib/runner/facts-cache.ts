// Cache of each host's facts between runs, so a no-op converge needs no separate facts round trip.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createHash } from "node:crypto";
import { join } from "node:path";
import { HOST_FACTS_SCRIPT, type HostFacts } from "../facts/host.ts";

/** Facts saved by another version of the probe may lack fields: such a file is a miss. */
const PROBE_VERSION = createHash("sha256").update(HOST_FACTS_SCRIPT).digest("hex").slice(0, 12);

export interface FactsCache {
  get(host: string): HostFacts | undefined;
  set(host: string, facts: HostFacts): void;
}

/** Facts kept in <dir>/<environment>/<host>.json; a null dir keeps them in memory only. */
export function factsCache(dir: string | null, environment: string): FactsCache {
  const memory = new Map<string, HostFacts>();
  const path = (host: string) => join(dir!, environment, `${host}.json`);
  return {
    get(host) {
      if (memory.has(host) || !dir) return memory.get(host);
      try {
        const saved = JSON.parse(readFileSync(path(host), "utf8")) as { probe?: string; facts?: HostFacts };
        if (saved.probe !== PROBE_VERSION || !saved.facts) return undefined;
        memory.set(host, saved.facts);
        return saved.facts;
      } catch {
        return undefined;
      }
    },
    set(host, facts) {
      memory.set(host, facts);
      if (!dir) return;
      mkdirSync(join(dir, environment), { recursive: true });
      writeFileSync(path(host), `${JSON.stringify({ probe: PROBE_VERSION, facts }, null, 2)}\n`);
    },
  };
}

export function sameFacts(a: HostFacts | undefined, b: HostFacts): boolean {
  return a !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
