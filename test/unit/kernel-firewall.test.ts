// The kernel's whole ruleset as the ufw role probes it (`nft -a list ruleset`): foreign rules that admit traffic in any
// table and chain, IPv4 and IPv6, named by --check, deleted by handle, restored by rollback; ufw's own rules left alone.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { tool } from "../../lab/requirements.ts";
import type { Transport } from "../../lib/connection/transport.ts";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { parseNftRuleset } from "../../lib/facts/nft-ruleset.ts";
import {
  ufwDispatch,
  ufwForeignRules,
  ufwSettingsScript,
  withoutUfwChainRules,
} from "../../lib/resources/ufw-foreign.ts";
import { fakeConnector, shellOf, type FakeLog } from "../../lib/testing/fake-transport.ts";
import { fakeInventory } from "./support/kv-host.ts";
import { recorder } from "./support/run.ts";
import { runPlaybook } from "../../lib/runner/run.ts";

/** ufw's base chain as nft prints it: its hook, policy and six jumps into ufw's chains, handles from `first`. */
const baseChain = (family: string, chain: string, hook: string, policy: string, first: number) =>
  [
    `\tchain ${chain} { # handle ${first - 1}`,
    `\t\ttype filter hook ${hook} priority filter; policy ${policy};`,
    ...ufwDispatch(family, chain).map(
      (target, index) => `\t\tcounter packets 7 bytes 420 jump ${target} # handle ${first + index}`,
    ),
    "\t}",
  ].join("\n");

/** What the probe prints on a converged host (ufw's own chains' rules left out by its awk), warnings first. */
const CLEAN = `# Warning: table ip filter is managed by iptables-nft, do not touch!
# Warning: table ip6 filter is managed by iptables-nft, do not touch!
table ip filter { # handle 1
\tchain ufw-before-input { # handle 9
\t}
\tchain ufw-user-input { # handle 100
\t}
${baseChain("ip", "INPUT", "input", "drop", 38)}
${baseChain("ip", "OUTPUT", "output", "accept", 45)}
${baseChain("ip", "FORWARD", "forward", "drop", 52)}
}
table ip6 filter { # handle 2
\tchain ufw6-user-input { # handle 100
\t}
${baseChain("ip6", "INPUT", "input", "drop", 38)}
${baseChain("ip6", "FORWARD", "forward", "drop", 52)}
}`;

/** The same host after a hand's work: iptables and ip6tables ACCEPTs, a chain of its own, a NAT redirect, an nft table. */
const TAMPERED = `# Warning: table ip nat is managed by iptables-nft, do not touch!
${CLEAN.replace(
  "\t\tcounter packets 7 bytes 420 jump ufw-before-logging-input # handle 38",
  "\t\ttcp dport 3306 counter packets 0 bytes 0 accept # handle 134\n\t\tcounter packets 7 bytes 420 jump ufw-before-logging-input # handle 38",
)
  .replace(
    "\t\tcounter packets 7 bytes 420 jump ufw-track-forward # handle 57\n\t}",
    "\t\tcounter packets 0 bytes 0 jump foreign # handle 213\n\t\tcounter packets 7 bytes 420 jump ufw-track-forward # handle 57\n\t}\n\tchain foreign { # handle 211\n\t\tct state new counter packets 0 bytes 0 accept # handle 212\n\t}",
  )
  .replace(
    "\t\tcounter packets 7 bytes 420 jump ufw6-before-logging-input # handle 38",
    "\t\tip6 saddr ::/0 tcp dport 3306 counter packets 0 bytes 0 accept # handle 282\n\t\tcounter packets 7 bytes 420 jump ufw6-before-logging-input # handle 38",
  )}
table inet sneaky { # handle 3
\tset s { # handle 3
\t\ttype ipv4_addr
\t\telements = { 1.2.3.4, 5.6.7.8 }
\t}

\tchain in { # handle 1
\t\ttype filter hook input priority filter - 10; policy accept;
\t\ttcp dport 3306 accept comment "x } accept" # handle 2
\t\tip saddr @s drop # handle 4
\t}
\tchain out { # handle 5
\t\ttype filter hook output priority filter; policy accept;
\t\taccept # handle 6
\t}
}
table ip nat { # handle 4
\tchain PREROUTING { # handle 1
\t\ttype nat hook prerouting priority dstnat; policy accept;
\t\ttcp dport 80 counter packets 0 bytes 0 redirect to :3306 # handle 2
\t}
}`;

const probeOutput = (ruleset: string, settings = "enabled=yes forward_policy=DROP") => `${settings}\n${ruleset}\n`;
const summaries = (ruleset: string, settings?: string) => {
  const resource = ufwForeignRules({ verify: async () => {} });
  return resource
    .plan(resource.parse(probeOutput(ruleset, settings), 0), { diff: false })
    .map((change) => change.summary);
};

test("nft ruleset: tables with their family, iptables-nft's marked, base chains' hooks and policies, rules without counters", () => {
  const tables = parseNftRuleset("t", TAMPERED);
  assert.equal(
    tables.map((table) => `${table.family} ${table.name}${table.iptables ? " (iptables-nft)" : ""}`),
    ["ip filter (iptables-nft)", "ip6 filter (iptables-nft)", "inet sneaky", "ip nat (iptables-nft)"],
  );
  const input = tables[0]!.chains.find((chain) => chain.name === "INPUT")!;
  assert.equal({ hook: input.hook, policy: input.policy }, { hook: "input", policy: "drop" });
  assert.equal(input.rules[0], { text: "tcp dport 3306 accept", handle: 134 });
  assert.equal(
    tables[2]!.chains.map((chain) => chain.name),
    ["in", "out"],
    "a set's block is skipped whole, a brace in a quoted comment does not end the chain",
  );
  assert.throws(
    () => parseNftRuleset("t", "table ip filter {\n\tchain INPUT {\n\t\taccept\n\t}\n}"),
    /without its handle/,
  );
  assert.throws(() => parseNftRuleset("t", 'table ip "odd name" {\n}'), /not a table line/);
  assert.throws(() => parseNftRuleset("t", "table ip filter { # handle 1\n"), /not closed/);
});

test("a converged host's ruleset (ufw's base chains jumping into ufw's chains only) has nothing foreign", () => {
  assert.equal(summaries(CLEAN), []);
});

test("the rules inside ufw's own chains, as nft prints them, are left out on the controller: the same state as without", () => {
  const inUfwChains = CLEAN.replace(
    "\tchain ufw-user-input { # handle 100\n\t}",
    "\tchain ufw-user-input { # handle 100\n\t\ttcp dport 3306 counter packets 0 bytes 0 accept # handle 101\n\n\t}",
  ).replace(
    "\tchain ufw6-user-input { # handle 100\n\t}",
    "\tchain ufw6-user-input { # handle 100\n\t\tmeta l4proto tcp accept # handle 101\n\t}\n   ",
  );
  assert.is.not(inUfwChains, CLEAN);
  assert.is(withoutUfwChainRules(inUfwChains.split("\n")), CLEAN, "rules and blank lines of ufw's chains dropped");
  const resource = ufwForeignRules({ verify: async () => {} });
  assert.equal(resource.parse(probeOutput(inUfwChains), 0), resource.parse(probeOutput(CLEAN), 0));
  assert.equal(summaries(inUfwChains), []);
});

test("foreign rules that admit traffic are named, IPv4 and IPv6, in every table; outbound chains and drops are not", () => {
  assert.equal(summaries(TAMPERED), [
    "delete foreign rule ip filter INPUT: tcp dport 3306 accept (handle 134)",
    "delete foreign rule ip filter FORWARD: jump foreign (handle 213)",
    "delete foreign rule ip filter foreign: ct state new accept (handle 212)",
    "delete foreign rule ip6 filter INPUT: ip6 saddr ::/0 tcp dport 3306 accept (handle 282)",
    'delete foreign rule inet sneaky in: tcp dport 3306 accept comment "x } accept" (handle 2)',
    "delete foreign rule ip nat PREROUTING: tcp dport 80 redirect to :3306 (handle 2)",
  ]);
});

test("ufw's base chains: an input policy of accept or a jump into ufw's chains gone is drift (ufw reload) while ufw is enabled; the forward policy follows ufw's file", () => {
  const opened = CLEAN.replace(
    "hook input priority filter; policy drop;",
    "hook input priority filter; policy accept;",
  );
  assert.equal(summaries(opened), ["ip filter INPUT policy accept -> drop (ufw reload)"]);
  assert.equal(summaries(opened, "enabled=no forward_policy=DROP"), [], "a disabled ufw is ufw:firewall's to enable");
  assert.equal(summaries(CLEAN, "enabled=yes forward_policy=ACCEPT"), [
    "ip filter FORWARD policy drop -> accept (ufw reload)",
    "ip6 filter FORWARD policy drop -> accept (ufw reload)",
  ]);
  const unhooked = CLEAN.replace("\t\tcounter packets 7 bytes 420 jump ufw-before-input # handle 39\n", "");
  assert.equal(summaries(unhooked), [
    "ip filter INPUT jumps into ufw's chains: ufw-before-logging-input, ufw-after-input, ufw-after-logging-input, ufw-reject-input, ufw-track-input -> ufw-before-logging-input, ufw-before-input, ufw-after-input, ufw-after-logging-input, ufw-reject-input, ufw-track-input (ufw reload)",
  ]);
  assert.equal(summaries("nft=absent"), ["nft is not installed: the kernel's ruleset cannot be read"]);
});

test("apply saves what it changes, deletes by handle (a rule already gone is fine); rollback restores the saved tables", () => {
  const resource = ufwForeignRules({ verify: async () => {} });
  const state = resource.parse(probeOutput(TAMPERED), 0);
  const script = resource.apply(state);
  assert.match(script, /iptables-save > \/var\/lib\/foobar-infra\/firewall-rollback\/iptables/);
  assert.match(script, /nft list table inet sneaky > \/var\/lib\/foobar-infra\/firewall-rollback\/inet-sneaky\.nft/);
  assert.match(
    script,
    /nft delete rule ip filter INPUT handle 134 2>\/dev\/null \|\| ! nft -a list chain ip filter INPUT 2>\/dev\/null \| grep -q '# handle 134\$'/,
  );
  assert.is(script.split("\n").filter((line) => line.startsWith("nft delete rule")).length, 6);
  assert.not.match(script, /ufw reload/, "no policy to restore");
  const rollback = resource.rollback!(state);
  assert.match(rollback, /iptables-restore < \/var\/lib\/foobar-infra\/firewall-rollback\/iptables/);
  assert.match(
    rollback,
    /nft delete table inet sneaky; nft -f \/var\/lib\/foobar-infra\/firewall-rollback\/inet-sneaky\.nft/,
  );
});

test("through the fake transport: --check exits 2 naming the rule, a converge deletes it and logs in afresh, the next --check exits 0", async () => {
  let ruleset = TAMPERED;
  const steps: string[] = [];
  const log: FakeLog = { execs: [] };
  const handler = (request: Parameters<Parameters<typeof fakeConnector>[0][string]>[0]) => {
    const shell = shellOf(request) ?? "";
    if (request.kind === "step") {
      steps.push(shell);
      if (shell.includes("nft delete rule")) ruleset = CLEAN;
      return { output: "", status: 0 };
    }
    return shell.includes("nft -a list ruleset")
      ? { output: probeOutput(ruleset), status: 0 }
      : { output: "", status: 0 };
  };
  const logins: string[] = [];
  const fresh = async (host: { name: string }): Promise<Transport> => {
    logins.push(host.name);
    return { host: host.name, exec: async () => ({ code: 0, stdout: "", stderr: "" }), close: async () => {} };
  };
  const role = defineRole({
    name: "kernel_firewall",
    dir: import.meta.dirname,
    schema: RoleVars({}),
    tasks: ({ checkNewConnection }) => [ufwForeignRules({ verify: checkNewConnection })],
  });
  const book = definePlaybook("fw", [{ name: "fw", hosts: "all_fake", roles: [role] }]);
  const run = async (check: boolean) => {
    const reporter = recorder();
    const result = await runPlaybook(book, {
      inventory: fakeInventory(["h1"]),
      environment: "test",
      check,
      diff: false,
      forks: 1,
      reporter,
      connect: fakeConnector({ h1: handler }, log),
      connectFresh: fresh,
      repoRoot: process.cwd(),
      factsDir: null,
    });
    const named = reporter.events.flatMap((event) =>
      event.type === "task" && event.status === "changed" ? (event.changes ?? []).map((change) => change.summary) : [],
    );
    return { exitCode: result.exitCode, named };
  };
  const check = await run(true);
  assert.is(check.exitCode, 2);
  assert.ok(
    check.named.includes("delete foreign rule ip filter INPUT: tcp dport 3306 accept (handle 134)"),
    check.named.join("\n"),
  );
  assert.equal(steps, [], "--check changes nothing");
  const converge = await run(false);
  assert.is(converge.exitCode, 0);
  assert.equal(logins, ["h1"], "the removal was proved by a new login");
  assert.is(steps.length, 1);
  assert.is((await run(true)).exitCode, 0);
});

test("ufw's enable flag and forward policy are read by the shell alone, as sed read them, the last line winning", () => {
  const dir = mkdtempSync(join(tmpdir(), "ufw-settings-"));
  const settings = (conf: string | undefined, defaults: string | undefined) => {
    const confFile = join(dir, "ufw.conf");
    const defaultsFile = join(dir, "ufw");
    rmSync(confFile, { force: true });
    rmSync(defaultsFile, { force: true });
    if (conf !== undefined) writeFileSync(confFile, conf);
    if (defaults !== undefined) writeFileSync(defaultsFile, defaults);
    return execFileSync(tool("dash"), ["-c", ufwSettingsScript(confFile, defaultsFile)], { encoding: "utf8" });
  };
  try {
    const ufwConf = "# /etc/ufw/ufw.conf\n#ENABLED=no\nENABLED=yes\nLOGLEVEL=low\n";
    const ufwDefaults = 'IPV6=yes\nDEFAULT_INPUT_POLICY="DROP"\nDEFAULT_FORWARD_POLICY="DROP"\nMANAGE_BUILTINS=no\n';
    assert.is(settings(ufwConf, ufwDefaults), "enabled=yes forward_policy=DROP\n");
    assert.is(
      settings("ENABLED=no", "DEFAULT_FORWARD_POLICY=ACCEPT"),
      "enabled=no forward_policy=ACCEPT\n",
      "no final newline",
    );
    assert.is(
      settings("ENABLED=no\nENABLED=yes\n", 'DEFAULT_FORWARD_POLICY="DROP"\nDEFAULT_FORWARD_POLICY="ACCEPT"\n'),
      "enabled=yes forward_policy=ACCEPT\n",
    );
    assert.is(settings("ENABLED=yes\n", 'DEFAULT_FORWARD_POLICY="drop me"\n'), "enabled=yes forward_policy=\n");
    assert.is(settings(undefined, undefined), "enabled= forward_policy=\n", "missing files read as empty");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
