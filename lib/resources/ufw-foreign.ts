// Resource: the kernel's whole ruleset (every table of every family, IPv4 and IPv6) holds no rule outside ufw's that
// admits traffic, and ufw's input policy is in force; foreign rules are deleted by handle, with a lockout check.
import { verifiedByNewLogin } from "./firewall-verify.ts";
import { shellProbe } from "../facts/probe.ts";
import { jumpTarget, NFT_RULESET_PROBE, parseNftRuleset, ruleWords, type NftTable } from "../facts/nft-ruleset.ts";
import { ProbeParseError } from "../facts/probe-error.ts";
import { sh } from "../shell.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";

export interface ForeignRule {
  family: string;
  table: string;
  chain: string;
  handle: number;
  text: string;
  /** The table is iptables-nft's (restored by iptables-restore), not one of nft's own. */
  iptables: boolean;
}

export interface KernelFirewall {
  /** nft answered (the nftables package is installed). */
  readable: boolean;
  foreign: ForeignRule[];
  /** How ufw's base chains differ from what `ufw reload` loads: a policy, a missing jump ("ip filter INPUT policy accept -> drop"). */
  reload: string[];
}

export interface UfwForeignOptions extends CommonOptions {
  /** A new login after the removal (the lockout check); when it throws, the ruleset is restored. */
  verify: () => Promise<void>;
}

/** ufw's tables: iptables-nft's filter table of each family, where its chains are named ufw-… (IPv4) and ufw6-… (IPv6). */
const UFW_TABLES = new Set(["ip filter", "ip6 filter"]);
const ufwChain = (name: string) => name.startsWith("ufw-") || name.startsWith("ufw6-");
/** Chains of these hooks see only what this host sends: an accept there admits nothing. */
const OUTBOUND_HOOKS = new Set(["output", "postrouting"]);
/** Statements that let a packet through, or send it somewhere it would be let through. */
const ADMITTING = new Set(["accept", "vmap", "dnat", "redirect", "tproxy", "queue"]);
const BACKUP_DIR = "/var/lib/foobar-infra/firewall-rollback";

/** A rule admits traffic: an admitting statement, or (in ufw's own base chains) a jump out of ufw's chains. */
function admits(words: string[], target: string | undefined, inUfwBaseChain: boolean): boolean {
  if (words.some((word) => ADMITTING.has(word))) return true;
  return inUfwBaseChain && target !== undefined && !ufwChain(target);
}

/** Every rule that admits traffic and is not ufw's, in any table and chain that can accept or forward traffic. */
export function foreignRules(tables: NftTable[]): ForeignRule[] {
  return tables.flatMap((table) => {
    const ufwTable = UFW_TABLES.has(`${table.family} ${table.name}`);
    return table.chains
      .filter((chain) => !(chain.hook && OUTBOUND_HOOKS.has(chain.hook)) && !(ufwTable && ufwChain(chain.name)))
      .flatMap((chain) => {
        const inUfwBaseChain = ufwTable && chain.hook !== undefined;
        return chain.rules
          .filter((rule) => admits(ruleWords(rule), jumpTarget(rule), inUfwBaseChain))
          .map((rule) => ({
            family: table.family,
            table: table.name,
            chain: chain.name,
            handle: rule.handle,
            text: rule.text,
            iptables: table.iptables,
          }));
      });
  });
}

/** The jumps ufw puts in its base chain `chain` of `family`, in order ("ufw-before-logging-input", …). */
export function ufwDispatch(family: string, chain: string): string[] {
  const prefix = family === "ip6" ? "ufw6" : "ufw";
  const direction = chain.toLowerCase();
  return ["before-logging", "before", "after", "after-logging", "reject", "track"].map(
    (stage) => `${prefix}-${stage}-${direction}`,
  );
}

/** What `ufw reload` puts back in ufw's base chains: their policies and their jumps into ufw's chains. */
function ufwBaseChains(tables: NftTable[], forwardPolicy: string): string[] {
  const wanted: Record<string, string> = { INPUT: "drop", FORWARD: (forwardPolicy || "DROP").toLowerCase() };
  return tables
    .filter((table) => UFW_TABLES.has(`${table.family} ${table.name}`))
    .flatMap((table) =>
      table.chains
        .filter((chain) => chain.name in wanted && chain.hook !== undefined)
        .flatMap((chain) => {
          const where = `${table.family} filter ${chain.name}`;
          const jumps = chain.rules.map(jumpTarget).filter((target) => target !== undefined && ufwChain(target));
          return [
            chain.policy === wanted[chain.name] ? "" : `${where} policy ${chain.policy} -> ${wanted[chain.name]}`,
            jumps.join(" ") === ufwDispatch(table.family, chain.name).join(" ")
              ? ""
              : `${where} jumps into ufw's chains: ${jumps.join(", ") || "none"} -> ${ufwDispatch(table.family, chain.name).join(", ")}`,
          ].filter(Boolean);
        }),
    );
}

const UFW_CONF = "/etc/ufw/ufw.conf";
const UFW_DEFAULTS = "/etc/default/ufw";

/**
 * Prints `enabled=VALUE forward_policy=POLICY` from ufw's files with shell builtins only (two `sed`s were a tenth of a
 * web host's no-op script): ENABLED= as written, the policy when it is capitals, quoted or not; the last line wins, as
 * when a shell sources the files; a missing file leaves its value empty.
 */
export function ufwSettingsScript(confFile: string, defaultsFile: string): string {
  return [
    "foobar_enabled= foobar_forward=",
    sh`while IFS= read -r foobar_line || [ -n "$foobar_line" ]; do case $foobar_line in ENABLED=*) foobar_enabled=\${foobar_line#ENABLED=} ;; esac; done 2>/dev/null < ${confFile}`,
    sh`while IFS= read -r foobar_line || [ -n "$foobar_line" ]; do case $foobar_line in DEFAULT_FORWARD_POLICY=*) foobar_value=\${foobar_line#DEFAULT_FORWARD_POLICY=}; foobar_value=\${foobar_value#'"'}; foobar_value=\${foobar_value%'"'}; case $foobar_value in *[!A-Z]*) ;; *) foobar_forward=$foobar_value ;; esac ;; esac; done 2>/dev/null < ${defaultsFile}`,
    'echo "enabled=$foobar_enabled forward_policy=$foobar_forward"',
  ].join("\n");
}

/**
 * The ruleset without the rules of ufw's own chains (ufw:firewall checks those; they are most of its text), each such
 * chain kept as its header and closing brace; blank lines dropped. Done here rather than by an awk on the host: one
 * process less in every host's no-op.
 */
export function withoutUfwChainRules(lines: readonly string[]): string {
  const kept: string[] = [];
  let inUfwChain = false;
  for (const line of lines) {
    if (/^\tchain ufw6?-/.test(line)) {
      kept.push(line);
      inUfwChain = true;
      continue;
    }
    if (inUfwChain && line.startsWith("\t}")) inUfwChain = false;
    if (!inUfwChain && line.trim() !== "") kept.push(line);
  }
  return kept.join("\n");
}

/** The probe's answer: `nft=absent`, or ufw's enable flag and forward policy from its files, then the ruleset. */
export function parseKernelFirewall(id: string, stdout: string): KernelFirewall {
  if (/^nft=absent$/m.test(stdout)) return { readable: false, foreign: [], reload: [] };
  const [head = "", ...rest] = stdout.split("\n");
  const settings = /^enabled=(\S*) forward_policy=([A-Z]*)$/.exec(head);
  if (!settings) throw new ProbeParseError(id, "no enabled= forward_policy= line", stdout);
  const tables = parseNftRuleset(id, withoutUfwChainRules(rest));
  // ufw's base chains only while ufw is enabled: a disabled ufw is ufw:firewall's to report and enable.
  const reload = settings[1] === "yes" ? ufwBaseChains(tables, settings[2]!) : [];
  return { readable: true, foreign: foreignRules(tables), reload };
}

export const describeForeign = (rule: ForeignRule) =>
  `${rule.family} ${rule.table} ${rule.chain}: ${rule.text} (handle ${rule.handle})`;

/** Delete one rule by its handle; a rule already gone is fine (the apply is idempotent). */
function deleteRule(rule: ForeignRule): string {
  const chain = [rule.family, rule.table, rule.chain];
  const handle = String(rule.handle);
  return `${sh`nft delete rule ${chain} handle ${handle}`} 2>/dev/null || ! ${sh`nft -a list chain ${chain}`} 2>/dev/null | ${sh`grep -q ${`# handle ${handle}$`}`}`;
}

const nativeTables = (state: KernelFirewall) => [
  ...new Set(state.foreign.filter((rule) => !rule.iptables).map((rule) => `${rule.family} ${rule.table}`)),
];
const backupOf = (table: string) => `${BACKUP_DIR}/${table.replace(" ", "-")}.nft`;

/**
 * The firewall the kernel evaluates is ufw's alone: a rule another tool or a hand put anywhere else that admits
 * traffic (an iptables ACCEPT in INPUT, a chain of its own, a NAT redirect, an nft table of its own) is drift.
 * Apply saves the tables it changes, deletes the rules by handle and reloads ufw when a policy differs; verify logs in
 * afresh, and rollback restores the saved tables.
 */
export function ufwForeignRules(options: UfwForeignOptions): Resource<KernelFirewall> {
  const id = "firewall:kernel-ruleset";
  return {
    id,
    ...commonFields(options),
    probe: () =>
      shellProbe(
        [
          "if ! command -v nft >/dev/null 2>&1; then echo nft=absent; exit 0; fi",
          ufwSettingsScript(UFW_CONF, UFW_DEFAULTS),
          NFT_RULESET_PROBE,
        ].join("\n"),
      ),
    parse: (stdout) => parseKernelFirewall(id, stdout),
    plan(state): Change[] {
      if (!state.readable) return [{ summary: "nft is not installed: the kernel's ruleset cannot be read" }];
      return [
        ...state.foreign.map((rule) => ({ summary: `delete foreign rule ${describeForeign(rule)}` })),
        ...state.reload.map((reason) => ({ summary: `${reason} (ufw reload)` })),
      ];
    },
    apply(state): string {
      if (!state.readable) return `echo 'nft is not installed: install the nftables package first' >&2; exit 1`;
      return [
        sh`rm -rf ${BACKUP_DIR} && mkdir -p -m 0700 ${BACKUP_DIR}`,
        sh`iptables-save > ${`${BACKUP_DIR}/iptables`} && ip6tables-save > ${`${BACKUP_DIR}/ip6tables`}`,
        ...nativeTables(state).map((table) => sh`nft list table ${table.split(" ")} > ${backupOf(table)}`),
        ...state.foreign.map(deleteRule),
        state.reload.length > 0 ? "ufw reload" : "",
      ]
        .filter(Boolean)
        .join("\n");
    },
    verify: verifiedByNewLogin(options.verify, "foreign rules were removed"),
    rollback: (state) =>
      [
        sh`iptables-restore < ${`${BACKUP_DIR}/iptables`} && ip6tables-restore < ${`${BACKUP_DIR}/ip6tables`}`,
        ...nativeTables(state).map((table) => sh`nft delete table ${table.split(" ")}; nft -f ${backupOf(table)}`),
      ].join("\n"),
  };
}
