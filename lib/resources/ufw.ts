// Resource: the whole ufw firewall of a host — default policies, the exact set of allow rules, enabled — with a lockout check.
import { verifiedByNewLogin } from "./firewall-verify.ts";
import { shellProbe, type ShellProbe } from "../facts/probe.ts";
import { sh } from "../shell.ts";
import { LOADED_RULES_PROBE, sameRules } from "./ufw-loaded.ts";
import { ProbeParseError } from "../facts/probe-error.ts";
import { commonFields, type Change, type CommonOptions, type Resource } from "./resource.ts";
import type { Fields } from "../facts/fields.ts";

/** One inbound allow rule: `ufw allow proto <proto> from <from> to any [port <port>]`. */
export interface UfwRule {
  /** "22" or a range "6000:6007"; none for a portless protocol (VRRP). */
  port?: string;
  proto: "tcp" | "udp" | "vrrp";
  /** "any", an address or a CIDR (network address, as ufw stores it). */
  from: string;
}

export interface UfwState {
  installed: boolean;
  /** ENABLED=yes in ufw.conf and ufw's chains loaded in the kernel (systemctl is-active ufw is not reliable). */
  enabled: boolean;
  inputPolicy: string;
  outputPolicy: string;
  /** Rules as ufw stores them: the `### tuple ###` lines of user.rules and user6.rules. */
  tuples: UfwTuple[];
  /** The IPv4 user chain's rules: as user.rules stores them, and as the kernel holds them (empty when not loaded). */
  storedRules: string[];
  loadedRules: string[];
}

/** A stored ufw rule: action proto dport dst sport src [dapp sapp] direction. */
export interface UfwTuple {
  action: string;
  proto: string;
  dport: string;
  dst: string;
  sport: string;
  src: string;
  dapp?: string;
  sapp?: string;
  direction: string;
}

export interface UfwOptions extends CommonOptions {
  rules: UfwRule[];
  /** Run after an apply on the controller (a new SSH login); when it throws, the firewall is restored. */
  verify: () => Promise<void>;
}

/** Where apply keeps the previous configuration for rollback. */
export const UFW_BACKUP_DIR = "/var/lib/foobar-infra/ufw-rollback";
const CONFIG_FILES = ["/etc/ufw/user.rules", "/etc/ufw/user6.rules", "/etc/ufw/ufw.conf", "/etc/default/ufw"];

const ANY = new Set(["any", "0.0.0.0/0", "::/0"]);
const anyOr = (value: string) => (ANY.has(value) ? "any" : value);

export function tupleKey(tuple: UfwTuple): string {
  return [
    tuple.action,
    tuple.proto,
    tuple.dport,
    anyOr(tuple.dst),
    tuple.sport,
    anyOr(tuple.src),
    tuple.dapp ?? "-",
    tuple.sapp ?? "-",
    tuple.direction,
  ].join(" ");
}

export function ruleKey(rule: UfwRule): string {
  return tupleKey({
    action: "allow",
    proto: rule.proto,
    dport: rule.port ?? "any",
    dst: "any",
    sport: "any",
    src: rule.from,
    direction: "in",
  });
}

export function ruleCommand(rule: UfwRule): string {
  const to = rule.port === undefined ? sh`to any` : sh`to any port ${rule.port}`;
  return `${sh`ufw allow proto ${rule.proto} from ${anyOr(rule.from)}`} ${to}`;
}

function describeRule(rule: UfwRule): string {
  return `allow ${rule.proto}${rule.port === undefined ? "" : ` ${rule.port}`} from ${anyOr(rule.from)}`;
}

/** The `ufw delete ...` that removes a stored rule (apps, interfaces and outbound rules included). */
export function deleteCommand(tuple: UfwTuple): string {
  const [direction, iface] = tuple.direction.split("_", 2) as [string, string | undefined];
  const words = ["ufw", "delete", tuple.action, direction];
  if (iface) words.push("on", iface);
  if (tuple.proto !== "any" && !tuple.dapp) words.push("proto", tuple.proto);
  words.push("from", anyOr(tuple.src));
  if (tuple.sapp && tuple.sapp !== "-") words.push("app", tuple.sapp);
  else if (tuple.sport !== "any") words.push("port", tuple.sport);
  words.push("to", anyOr(tuple.dst));
  if (tuple.dapp && tuple.dapp !== "-") words.push("app", tuple.dapp);
  else if (tuple.dport !== "any") words.push("port", tuple.dport);
  return sh`${words}`;
}

export function parseTuple(id: string, line: string): UfwTuple {
  const fields = line
    .replace(/^### tuple ###\s*/, "")
    .split(/\s+/)
    .filter((field) => !field.startsWith("comment="));
  if (fields.length === 7) {
    const [action, proto, dport, dst, sport, src, direction] = fields as Fields<7>;
    return { action, proto, dport, dst, sport, src, direction };
  }
  if (fields.length === 9) {
    const [action, proto, dport, dst, sport, src, dapp, sapp, direction] = fields as Fields<9>;
    return { action, proto, dport, dst, sport, src, dapp, sapp, direction };
  }
  throw new ProbeParseError(id, `unknown ufw rule format "${line}"`, line);
}

/** ufw's stored state: its enable flag, default policies and rules, each line prefixed with its file by `grep -H`. */
const UFW_FILES = {
  conf: "/etc/ufw/ufw.conf",
  defaults: "/etc/default/ufw",
  rules: ["/etc/ufw/user.rules", "/etc/ufw/user6.rules"],
};

// This probe runs on every host on every converge: one iptables call (the loaded rules live in the kernel only), and
// one grep over all four files, which the memo answers while they are unchanged.
const UFW_FILE_LIST = [UFW_FILES.conf, UFW_FILES.defaults, ...UFW_FILES.rules];
const USER_CHAIN_RULE = "-A ufw-user-input ";
const PROBE: ShellProbe[] = [
  shellProbe(
    [
      "if ! command -v ufw >/dev/null 2>&1; then echo installed=no; exit 0; fi",
      "echo installed=yes",
      LOADED_RULES_PROBE,
    ].join("\n"),
  ),
  shellProbe(
    `grep -H -e '^ENABLED=' -e '^DEFAULT_INPUT_POLICY=' -e '^DEFAULT_OUTPUT_POLICY=' -e '^### tuple ###' -e '^${USER_CHAIN_RULE}' ${UFW_FILE_LIST.join(" ")} 2>/dev/null || true`,
    UFW_FILE_LIST,
  ),
];

export function parseUfw(id: string, stdout: string): UfwState {
  const lines = stdout.split("\n").filter(Boolean);
  const value = (name: string) => lines.find((line) => line.startsWith(`${name}=`))?.slice(name.length + 1);
  const installed = value("installed");
  if (installed === undefined) throw new ProbeParseError(id, "no installed= line", stdout);
  const inFile = (file: string) =>
    lines.filter((line) => line.startsWith(`${file}:`)).map((line) => line.slice(file.length + 1));
  const policy = (chain: string) =>
    inFile(UFW_FILES.defaults)
      .map((line) => new RegExp(`^DEFAULT_${chain}_POLICY="?([A-Z]*)"?$`).exec(line)?.[1])
      .find((found) => found !== undefined);
  return {
    installed: installed === "yes",
    enabled: inFile(UFW_FILES.conf).includes("ENABLED=yes") && value("chains") === "loaded",
    inputPolicy: policy("INPUT") ?? "",
    outputPolicy: policy("OUTPUT") ?? "",
    tuples: lines
      .filter((line) => UFW_FILES.rules.some((file) => line.startsWith(`${file}:### tuple ###`)))
      .map((line) => parseTuple(id, line.slice(line.indexOf(":") + 1))),
    storedRules: inFile(UFW_FILES.rules[0]!).filter((line) => line.startsWith(USER_CHAIN_RULE)),
    loadedRules: lines
      .filter((line) => line.startsWith(`loaded: ${USER_CHAIN_RULE}`))
      .map((line) => line.slice("loaded: ".length)),
  };
}

/** Enabled, but the kernel's rules are not the stored ones (changed with iptables by hand): `ufw reload` loads them. */
const loadedDiffers = (state: UfwState) => state.enabled && !sameRules(state.loadedRules, state.storedRules);

/** Rules to add (SSH-first order kept from the description) and stored rules to delete. */
export function ufwDiff(rules: UfwRule[], state: UfwState): { add: UfwRule[]; remove: UfwTuple[] } {
  const wanted = new Set(rules.map(ruleKey));
  const present = new Set(state.tuples.map(tupleKey));
  const seen = new Set<string>();
  const remove = state.tuples.filter((tuple) => {
    const key = tupleKey(tuple);
    if (wanted.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { add: rules.filter((rule) => !present.has(ruleKey(rule))), remove };
}

function describe(tuple: UfwTuple): string {
  return `${tuple.action} ${tuple.proto} ${tuple.dapp ?? tuple.dport} from ${anyOr(tuple.src)}${tuple.direction === "in" ? "" : ` (${tuple.direction})`}`;
}

/**
 * The firewall as a whole: rules not described here are deleted. Rules are added before any
 * deletion and before enabling, so the SSH rule (first in `rules`) is in place first. Apply keeps a
 * copy of the configuration; verify opens a new SSH connection, and rollback restores the copy.
 */
export function ufw(options: UfwOptions): Resource<UfwState> {
  const id = "ufw:firewall";
  return {
    id,
    ...commonFields(options),
    probe: () => PROBE,
    parse: (stdout) => parseUfw(id, stdout),
    plan(state): Change[] {
      if (!state.installed) return [{ summary: "ufw is not installed" }];
      const { add, remove } = ufwDiff(options.rules, state);
      const changes: Change[] = [];
      if (state.inputPolicy !== "DROP")
        changes.push({ summary: `default incoming deny (was ${state.inputPolicy || "unset"})` });
      if (state.outputPolicy !== "ACCEPT")
        changes.push({ summary: `default outgoing allow (was ${state.outputPolicy || "unset"})` });
      for (const rule of add) changes.push({ summary: describeRule(rule) });
      for (const tuple of remove) changes.push({ summary: `delete ${describe(tuple)}` });
      if (!state.enabled) changes.push({ summary: "enable" });
      if (loadedDiffers(state))
        changes.push({
          summary: `reload: the kernel holds ${state.loadedRules.length} rules, not the ${state.storedRules.length} ufw stored`,
        });
      return changes;
    },
    apply(state): string {
      if (!state.installed) return `echo 'ufw is not installed: install the ufw package first' >&2; exit 1`;
      const { add, remove } = ufwDiff(options.rules, state);
      return [
        sh`rm -rf ${UFW_BACKUP_DIR} && mkdir -p ${UFW_BACKUP_DIR} && cp -p ${CONFIG_FILES} ${UFW_BACKUP_DIR}/`,
        state.inputPolicy === "DROP" ? "" : "ufw default deny incoming",
        state.outputPolicy === "ACCEPT" ? "" : "ufw default allow outgoing",
        ...add.map(ruleCommand),
        ...remove.map(deleteCommand),
        state.enabled ? "" : "ufw --force enable",
        loadedDiffers(state) ? "ufw reload" : "",
      ]
        .filter(Boolean)
        .join("\n");
    },
    verify: verifiedByNewLogin(options.verify, "it was applied"),
    rollback: (state) =>
      [
        ...CONFIG_FILES.map((path) => sh`cp -p ${`${UFW_BACKUP_DIR}/${path.split("/").at(-1)}`} ${path}`),
        state.enabled ? "ufw reload" : "ufw --force disable",
      ].join("\n"),
  };
}
