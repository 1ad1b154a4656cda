// The kernel's whole ruleset as `nft -a list ruleset` prints it: every table of every family, its chains (hook, policy)
// and their rules (text, handle, verdict words) — what iptables-nft, ufw and any other tool loaded, one view.
import { ProbeParseError } from "./probe-error.ts";

export interface NftRule {
  /** The rule as nft prints it, without counters and handle: "tcp dport 3306 accept". */
  text: string;
  handle: number;
}

export interface NftChain {
  name: string;
  /** A base chain's hook ("input", "forward", "prerouting", …); undefined for a regular chain (reached by jumps). */
  hook?: string;
  /** A base chain's policy ("accept", "drop"). */
  policy?: string;
  rules: NftRule[];
}

export interface NftTable {
  /** ip, ip6, inet, arp, bridge or netdev. */
  family: string;
  name: string;
  /** nft's "managed by iptables-nft" warning names it: iptables-save and iptables-restore own it. */
  iptables: boolean;
  chains: NftChain[];
}

/** Names nft prints bare: the parser takes no other (a quoted name is an error, never a guess). */
const NAME = "[A-Za-z0-9_.][A-Za-z0-9_.\\-]*";
const TABLE = new RegExp(`^table (ip|ip6|inet|arp|bridge|netdev) (${NAME}) \\{(?: # handle \\d+)?$`);
const CHAIN = new RegExp(`^chain (${NAME}) \\{(?: # handle \\d+)?$`);
const MANAGED = /^# Warning: table (\S+) (\S+) is managed by iptables-nft/;

/** The probe's shell: the ruleset with handles (nft's warnings on stderr name iptables-nft's tables). */
export const NFT_RULESET_PROBE = "nft -a list ruleset 2>&1";

/** Parse `nft -a list ruleset`: blocks other than chains (sets, maps, flowtables, objects) are skipped whole. */
export function parseNftRuleset(id: string, text: string): NftTable[] {
  const tables: NftTable[] = [];
  const managed = new Set<string>();
  let table: NftTable | undefined;
  let chain: NftChain | undefined;
  let skipDepth = 0;
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    const warning = MANAGED.exec(line);
    if (warning) {
      managed.add(`${warning[1]} ${warning[2]}`);
      continue;
    }
    if (line === "") continue;
    if (skipDepth > 0) {
      const bare = line.replace(/"(?:[^"\\]|\\.)*"/g, '""');
      skipDepth += (bare.match(/\{/g)?.length ?? 0) - (bare.match(/\}/g)?.length ?? 0);
      continue;
    }
    if (!table) {
      const found = TABLE.exec(line);
      if (!found) throw new ProbeParseError(id, `not a table line: "${line}"`, text);
      table = { family: found[1]!, name: found[2]!, iptables: false, chains: [] };
      tables.push(table);
      continue;
    }
    if (!chain) {
      if (line === "}") {
        table = undefined;
        continue;
      }
      const found = CHAIN.exec(line);
      if (found) {
        chain = { name: found[1]!, rules: [] };
        table.chains.push(chain);
      } else if (/\{(?: # handle \d+)?$/.test(line)) skipDepth = 1;
      else throw new ProbeParseError(id, `unexpected line in table ${table.family} ${table.name}: "${line}"`, text);
      continue;
    }
    if (line === "}") {
      chain = undefined;
      continue;
    }
    const base = /^type \S+ hook (\S+)(?: device \S+)? priority [^;]+;(?: policy (\S+);)?/.exec(line);
    if (base) {
      chain.hook = base[1]!;
      chain.policy = base[2];
      continue;
    }
    const rule = /^(.*?) # handle (\d+)$/.exec(line);
    if (!rule) throw new ProbeParseError(id, `a rule without its handle in chain ${chain.name}: "${line}"`, text);
    const bare = rule[1]!.replace(/\s*counter packets \d+ bytes \d+/, "").trim();
    chain.rules.push({ text: bare, handle: Number(rule[2]) });
  }
  if (table) throw new ProbeParseError(id, `table ${table.family} ${table.name} is not closed`, text);
  for (const item of tables) item.iptables = managed.has(`${item.family} ${item.name}`);
  return tables;
}

/** The rule's verdict and statement words, quoted strings (comments, names of sets) left out. */
export function ruleWords(rule: NftRule): string[] {
  return rule.text
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .split(/[\s,{}:]+/)
    .filter(Boolean);
}

/** The chain a rule jumps or goes to; undefined when it does neither. */
export function jumpTarget(rule: NftRule): string | undefined {
  const words = ruleWords(rule);
  const at = words.findIndex((word) => word === "jump" || word === "goto");
  return at < 0 ? undefined : words[at + 1];
}
