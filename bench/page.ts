// Renders docs/benchmarks.md from bench/results/*.json; `npx tsx bench/page.ts [--check]` writes it, or checks it.
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../lab/paths.ts";
import type { AsTyped } from "./as-typed.ts";
import type { FirstConvergeResult } from "./first-converge.ts";
import { LAB_PARTS } from "./parts.ts";
import type { ScaleResult } from "./scale.ts";
import type { Summary } from "./stats.ts";

export const RESULTS_DIR = join(REPO_ROOT, "bench", "results");
export const PAGE_FILE = join(REPO_ROOT, "docs", "benchmarks.md");
export const PAGE_COMMAND = "npx tsx bench/page.ts";

interface Rate {
  rps: number;
  failed: number;
}

/** One results file as `npm run bench` wrote it at the time: a `--quick` run, or an older one, lacks some measures. */
export interface Results {
  date: string;
  cpus: number;
  node: string;
  quick?: boolean;
  /** The parts a `--only` run measured (bench/run.ts). */
  only?: string[];
  /** The lab hosts' release and database; files from before it was recorded measured Debian 12 with MariaDB. */
  target?: { os: string; db: string };
  engine?: Record<string, Summary>;
  firstConverge?: FirstConvergeResult;
  asTyped?: AsTyped;
  siteNoop?: { site: Summary; floor: Summary; hosts: number };
  ansible?: { tasksPerHost: Record<string, number>; default: Summary; tuned: Summary; mitogen?: Summary };
  web?: {
    viaLb: Rate;
    direct: Rate;
    ratio: number;
    requests: number;
    concurrency: number;
    client?: string;
    web?: string;
  };
  [scale: `scale${number}`]: (Omit<ScaleResult, "asTyped"> & Partial<Pick<ScaleResult, "asTyped">>) | undefined;
}

export interface ResultsFile {
  /** The file's name in bench/results. */
  name: string;
  results: Results;
}

interface Row {
  measure: string;
  result: string;
  ratio: string;
}

/** Rows that must come from one results file (a measure and its floor), or undefined when a file lacks them. */
type Group = (results: Results) => Row[] | undefined;

interface PlacedRows {
  file: ResultsFile;
  rows: Row[];
}

/** Every results file of `dir`, by name. */
export function readResultsFiles(dir: string): ResultsFile[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ name, results: JSON.parse(readFileSync(join(dir, name), "utf8")) as Results }));
}

function newestFirst(files: ResultsFile[]): ResultsFile[] {
  const key = (file: ResultsFile) => `${file.results.date} ${file.name}`;
  return [...files].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0));
}

/** The group's rows from the newest file that holds them. */
function fromNewest(newest: ResultsFile[], group: Group): PlacedRows | undefined {
  for (const file of newest) {
    const rows = group(file.results);
    if (rows) return { file, rows };
  }
  return undefined;
}

interface Unit {
  name: string;
  digits(ms: number): string;
}

const SECONDS: Unit = {
  name: "s",
  digits: (ms) => (ms / 1000).toFixed(ms < 9995 ? 2 : 1),
};
const MILLISECONDS: Unit = { name: "ms", digits: (ms) => ms.toFixed(ms < 99.95 ? 1 : 0) };
const unitOf = (ms: number) => (ms < 1000 ? MILLISECONDS : SECONDS);

const runs = (count: number) => `${count} run${count === 1 ? "" : "s"}`;

/** "0.62 s (0.52–0.79), 20 runs": the median, the fastest and slowest run in the median's unit, how many runs. */
function summary(measured: Summary, unit = SECONDS): string {
  const range = measured.runs > 1 ? ` (${unit.digits(measured.min)}–${unit.digits(measured.max)})` : "";
  return `${unit.digits(measured.median)} ${unit.name}${range}, ${runs(measured.runs)}`;
}

const warmSummary = (measured: Summary) => summary(measured, unitOf(measured.median));

function times(ratio: number): string {
  return `${ratio.toFixed(ratio < 9.995 ? 2 : 0)}×`;
}

const ratio = (measured: Summary, floor: Summary) => times(measured.median / floor.median);

function asTypedRows(results: Results): Row[] | undefined {
  const typed = results.asTyped;
  if (!typed) return undefined;
  return [
    {
      measure: `\`${typed.command}\`, no-op on the ${typed.hosts} lab hosts, a new process each run`,
      result: summary(typed.site),
      ratio: `${ratio(typed.site, typed.opensshFloor)} the OpenSSH floor (target ≤ 1.5×)`,
    },
    {
      measure: `OpenSSH floor: \`ssh debian@HOST 'sudo -n true'\` to the ${typed.hosts} hosts at once from a shell script`,
      result: summary(typed.opensshFloor),
      ratio: "",
    },
    {
      measure: `ssh2 floor: connect + \`true\` to the ${typed.hosts} hosts from a fresh \`node\``,
      result: summary(typed.ssh2Floor),
      ratio: `the no-op as typed is ${ratio(typed.site, typed.ssh2Floor)} this floor`,
    },
    ...(typed.hostSide
      ? [
          {
            measure: `Host side alone: each host's no-op exec as the run sends it, through OpenSSH to the ${typed.hosts} hosts at once, no controller`,
            result: summary(typed.hostSide),
            ratio: `${ratio(typed.hostSide, typed.opensshFloor)} the OpenSSH floor; the no-op as typed is ${ratio(typed.site, typed.hostSide)} this`,
          },
        ]
      : []),
  ];
}

function persistedRows(results: Results): Row[] | undefined {
  const typed = results.asTyped;
  if (!typed) return undefined;
  const kept = typed.persisted;
  return [
    {
      measure: `\`${kept.command}\`, no-op, the logins kept from the run before`,
      result: summary(kept.site),
      ratio: `${ratio(kept.site, typed.opensshFloor)} the OpenSSH floor (target ≤ 1.2×); ${ratio(kept.site, kept.opensshFloor)} the kept-master floor`,
    },
    {
      measure: "Kept-master floor: the same OpenSSH script over masters kept by `ControlPersist`",
      result: summary(kept.opensshFloor),
      ratio: "",
    },
  ];
}

function npxTsxRows(results: Results): Row[] | undefined {
  const typed = results.asTyped;
  if (!typed?.npxTsx) return undefined;
  const empty = typed.npxTsxEmpty;
  const beyondStart = empty
    ? `; tsx's own start + ${((typed.npxTsx.median - empty.median) / typed.opensshFloor.median).toFixed(2)}× the OpenSSH floor (target ≤ 1.5×)`
    : "";
  return [
    {
      measure: "`npx tsx playbooks/site.ts -i lab`, the same no-op, in the same rounds",
      result: summary(typed.npxTsx),
      ratio: `${ratio(typed.npxTsx, typed.opensshFloor)} the OpenSSH floor${beyondStart}`,
    },
    ...(empty
      ? [
          {
            measure: "tsx's own start: `npx tsx` of an empty file, in the same rounds",
            result: summary(empty),
            ratio: "",
          },
        ]
      : []),
  ];
}

function firstConvergeRows(results: Results): Row[] | undefined {
  const first = results.firstConverge;
  if (!first) return undefined;
  return [
    {
      measure: `First converge: \`${first.command}\` on the ${first.hosts} lab hosts reset, the apt proxy warm`,
      result: summary(first.converge),
      ratio: `${ratio(first.converge, first.floor)} its floor (target ≤ 1.3×)`,
    },
    {
      measure: "First converge floor: the same packages alone, one `apt-get` per host, all hosts at once",
      result: summary(first.floor),
      ratio: "",
    },
  ];
}

const ANSIBLE_CONFIGS = [
  { key: "default", measure: "Ansible as installed ([ansible-default.cfg](../bench/ansible/ansible-default.cfg))" },
  { key: "tuned", measure: "Ansible tuned ([ansible-tuned.cfg](../bench/ansible/ansible-tuned.cfg))" },
  { key: "mitogen", measure: "Ansible with Mitogen ([ansible-mitogen.cfg](../bench/ansible/ansible-mitogen.cfg))" },
] as const;

function ansibleRows(config: (typeof ANSIBLE_CONFIGS)[number]): Group {
  return (results) => {
    const ansible = results.ansible;
    const run = ansible?.[config.key];
    if (!ansible || !run || !results.asTyped) return undefined;
    const tasks = Object.values(ansible.tasksPerHost).reduce((sum, count) => sum + count, 0);
    return [
      {
        measure: `${config.measure}, no-op, the same state as ${tasks} tasks`,
        result: summary(run),
        ratio: `${ratio(run, results.asTyped.site)} the no-op as typed`,
      },
    ];
  };
}

/** The loopback host counts any results file holds a scale run for, smallest first. */
function scaleCounts(files: ResultsFile[]): number[] {
  const keys = files.flatMap((file) => Object.keys(file.results));
  const counts = keys.flatMap((key) => /^scale(\d+)$/.exec(key)?.[1] ?? []).map(Number);
  return [...new Set(counts)].sort((a, b) => a - b);
}

/** Per host: the median wall time and, when measured, the controller CPU (user + system of the whole command). */
function perHost(scale: { run: Summary; cpu?: Summary }, count: number): string {
  const each = (total: number) => `${(total / count).toFixed(1)} ms`;
  return `; per host ${each(scale.run.median)} wall${scale.cpu ? `, ${each(scale.cpu.median)} controller CPU` : ""}`;
}

function scaleAsTypedRows(count: number): Group {
  return (results) => {
    const scale = results[`scale${count}`]?.asTyped;
    if (!scale) return undefined;
    return [
      {
        measure: `No-op as typed, 30 resources × ${count} loopback hosts: \`${scale.command}\``,
        result: summary(scale.run),
        ratio: `${ratio(scale.run, scale.opensshFloor)} the OpenSSH floor${perHost(scale, count)}${count === 1000 ? " (target ≤ 0.5× and ≤ 15 ms CPU per host)" : ""}`,
      },
      {
        measure: `OpenSSH floor: \`ssh HOST true\` to the ${count} loopback hosts at once from a shell script`,
        result: summary(scale.opensshFloor),
        ratio: "",
      },
    ];
  };
}

function webRows(results: Results): Row[] | undefined {
  const web = results.web;
  if (!web?.client || !web.web) return undefined;
  const rate = (measured: Rate) => `${measured.rps.toFixed(0)} req/s, ${measured.failed} failed`;
  return [
    {
      measure: `\`GET /\` through HAProxy over HTTPS: \`ab -k -c ${web.concurrency} -n ${web.requests}\` on ${web.client}`,
      result: rate(web.viaLb),
      ratio: `${times(web.ratio)} direct`,
    },
    {
      measure: `\`GET /\` straight to ${web.web} over HTTP, the same \`ab\` on ${web.client}`,
      result: rate(web.direct),
      ratio: "",
    },
  ];
}

function engineRows(results: Results): Row[] | undefined {
  if (!results.engine) return undefined;
  return Object.entries(results.engine).map(([hosts, measured]) => ({
    measure: `Engine only: a 30-resource no-op play on ${hosts} fake host${hosts === "1" ? "" : "s"}, no network`,
    result: warmSummary(measured),
    ratio: "",
  }));
}

function warmSiteRows(results: Results): Row[] | undefined {
  const noop = results.siteNoop;
  if (!noop) return undefined;
  return [
    {
      measure: `Warm \`site.ts\` no-op on the ${noop.hosts} lab hosts, in one looping process`,
      result: warmSummary(noop.site),
      ratio: `${ratio(noop.site, noop.floor)} the warm floor`,
    },
    {
      measure: `Warm floor: ssh2 connect + \`true\` to the ${noop.hosts} hosts at once, in the same process`,
      result: warmSummary(noop.floor),
      ratio: "",
    },
  ];
}

function warmScaleRows(count: number): Group {
  return (results) => {
    const scale = results[`scale${count}`];
    if (!scale) return undefined;
    return [
      {
        measure: `First run in-process, 30 resources × ${count} loopback hosts, every resource changed`,
        result: `${SECONDS.digits(scale.firstRunMs)} s, 1 run`,
        ratio: "",
      },
      {
        measure: `No-op in-process, 30 resources × ${count} loopback hosts`,
        result: warmSummary(scale.noop),
        ratio: `${ratio(scale.noop, scale.floor)} the in-process floor`,
      },
      {
        measure: `In-process floor: ssh2 connect + \`true\` to the ${count} loopback hosts at once`,
        result: warmSummary(scale.floor),
        ratio: "",
      },
    ];
  };
}

function headlineGroups(files: ResultsFile[]): Group[] {
  return [
    asTypedRows,
    persistedRows,
    npxTsxRows,
    firstConvergeRows,
    ...ANSIBLE_CONFIGS.map(ansibleRows),
    ...scaleCounts(files).map(scaleAsTypedRows),
    webRows,
  ];
}

function engineGroups(files: ResultsFile[]): Group[] {
  return [engineRows, warmSiteRows, ...scaleCounts(files).map(warmScaleRows)];
}

/** "Debian 13, MariaDB": what the run's lab hosts ran (with MySQL, the database hosts run Debian unstable: lab/README.md). */
const targetName = (results: Results) => {
  const { os, db } = results.target ?? { os: "Debian 12", db: "mariadb" };
  return `${os}, ${db === "mysql" ? "MySQL (database hosts on Debian unstable)" : "MariaDB"}`;
};

/** "2026-12-04 12:44 UTC": the minute the run started. */
const runDate = (file: ResultsFile) => `${file.results.date.slice(0, 16).replace("T", " ")} UTC`;

function runCell(file: ResultsFile): string {
  const { quick, only } = file.results;
  const kind = only
    ? `\`--only ${only.join(",")}\`${quick ? " `--quick`" : ""} run`
    : quick
      ? "`--quick` run"
      : "full run";
  // A run of the engine or loopback parts alone booted no lab: it has no target.
  const labless = only !== undefined && !only.some((part) => (LAB_PARTS as readonly string[]).includes(part));
  return `[${runDate(file)}](../bench/results/${file.name}), ${kind}, ${labless ? "no lab" : targetName(file.results)}`;
}

function table(placed: PlacedRows[]): string[] {
  return [
    "| measure | median (min–max), runs | ratio | results file |",
    "|---|---|---|---|",
    ...placed.flatMap(({ file, rows }) =>
      rows.map((row) => `| ${row.measure} | ${row.result} | ${row.ratio} | ${runCell(file)} |`),
    ),
  ];
}

/** Each machine the shown runs were made on (CPUs and Node, as their files say), with those runs' dates. */
function machines(placed: PlacedRows[]): string {
  const datesByMachine = new Map<string, Set<string>>();
  for (const { file } of placed) {
    const machine = `${file.results.cpus} CPUs and Node ${file.results.node}`;
    datesByMachine.set(machine, (datesByMachine.get(machine) ?? new Set()).add(runDate(file)));
  }
  return [...datesByMachine]
    .map(([machine, dates]) => `${machine} (the run${dates.size === 1 ? "" : "s"} of ${[...dates].join(", ")})`)
    .join("; ");
}

function intro(): string[] {
  return [
    "`npm run bench` (as root) installs its packages, brings the lab up and converges it first, then measures;",
    "`npm run bench -- --quick` skips Ansible, `npx tsx` and 1,000 hosts; the loopback scale runs 10, 100 and 1,000 hosts.",
    "`npm run bench -- --only as-typed,scale` measures those parts alone (engine, first-converge, as-typed, site-noop,",
    "ansible, scale, web), `--scale 10,1000` picks the loopback host counts. Each run writes `bench/results/<time>.json`.",
    "",
    `This page is generated by \`${PAGE_COMMAND}\` from [bench/results](../bench/results/) (\`npm run bench\` runs it`,
    "at its end; a unit test fails when the page is stale): do not edit it by hand.",
  ];
}

function howItIsMeasured(machine: string): string[] {
  return [
    "## How it is measured",
    "",
    "**The lab.** Seven Debian hosts, systemd-nspawn containers on the machine that runs the bench, converged by",
    "`site.ts` before the no-op measures. The controller and the hosts share the machine's CPUs. The runs shown were",
    `made with ${machine}.`,
    "",
    "**Medians.** Each figure is the median of its runs (the mean of the two middle ones for an even count), with the",
    "fastest and the slowest run in brackets. A ratio divides two medians of the same results file. Where a measure",
    "and its floor alternate run by run, a change in the machine's load hits both alike.",
    "",
    "**The no-op as typed.** The headline. `bin/foobar-infra site -i lab` runs on the converged lab as a user types it:",
    "a new process each run, timed from its start to its exit. A run that fails or changes anything stops the bench.",
    "Each round runs, in this order: the OpenSSH floor, the ssh2 floor, the host side alone, the command, the",
    "kept-master floor, the command with `--persist 60`, and `npx tsx playbooks/site.ts -i lab` (not with `--quick`).",
    "One untimed round comes first: it warms the page cache, the launcher's bundle cache and the kept masters.",
    "",
    "**The OpenSSH floor.** The least a run can do: log in to every host and run one command. A shell script starts",
    "one `ssh` per host at once and waits for all of them ([bench/whole-process.ts](../bench/whole-process.ts)). The",
    "lab logs in as `debian` and becomes root through sudo, as production does, so the floor runs",
    "`ssh debian@HOST 'sudo -n true'`. Where sudo asks for a password (mon-01 in the lab), `sudo -n` refuses at once:",
    "there the floor does a little less than the run.",
    "",
    "**The ssh2 floor.** The same with the SSH library the runner uses. A fresh `node` runs",
    "[bench/floors/ssh2-floor.mjs](../bench/floors/ssh2-floor.mjs), plain JavaScript. It connects to every host at",
    "once, checks the host key, runs `true` and closes.",
    "",
    "**The host side alone.** What the hosts do in the no-op, with no controller. A no-op run in the bench's process",
    "(after two untimed ones, so that its probe memo is the steady state's) records each host's exec: its command and",
    "its stdin (the script, and mon-01's sudo password, kept in a private directory in memory and removed at the end or",
    "on a signal). A shell script then sends every host its exec at once through OpenSSH, as the floor does",
    "([bench/host-scripts.ts](../bench/host-scripts.ts)). Any runner that reads what this no-op reads pays this much;",
    "the gap between it and the command is the controller's share.",
    "",
    "**Kept logins.** With `--persist 60` the runner keeps each host's OpenSSH login open between runs",
    "(`ControlPersist`). Its second floor is the OpenSSH script over masters kept the same way. Both sets of masters",
    "live in directories of their own and are closed at the end of the bench.",
    "",
    "**`npx tsx`.** The same no-op through tsx, which transpiles the playbook file at each start. `bin/foobar-infra`",
    "runs a cached bundle instead.",
    "",
    "**First converge.** All the lab hosts are reset to their base image, the apt proxy warm. Then",
    "`bin/foobar-infra site -i lab` runs as typed (with `--json`, to learn which packages each host installed). Its",
    "floor: the hosts are reset again, then install the same packages alone, with one `apt-get update` and one",
    "`apt-get --no-install-recommends install` per host, over SSH through sudo, all hosts at once. Converge and floor",
    "alternate pair by pair ([bench/first-converge.ts](../bench/first-converge.ts)).",
    "",
    "**Ansible.** [bench/ansible/generate.ts](../bench/ansible/generate.ts) writes an Ansible playbook for the same",
    "state, read from the converged lab. Each resource of `site.ts` becomes an `apt`, `systemd`, `user`, `copy` or",
    "`file` task. A file only root may read is checked by `stat` and `assert` on its checksum, so no secret is written",
    "on the controller. What Ansible core has no module for (database state, firewall, replication) runs the",
    "runner's own read-only probe as a `shell` task that never reports a change. Ansible logs in as `debian` and",
    "becomes root; the sudo password comes from a `0600` file through `--become-password-file`.",
    "",
    "The three configurations are in `bench/ansible/*.cfg`: `ansible-default.cfg` is Ansible as installed (5 forks, no",
    "pipelining, facts gathered); `ansible-tuned.cfg` has 100 forks, pipelining, `ControlPersist` connections and no",
    "fact gathering; `ansible-mitogen.cfg` uses Mitogen's `mitogen_linear` strategy, 100 forks and no fact gathering.",
    "Each configuration runs once untimed (this opens the tuned configuration's connections), then three times. A",
    "run that changes anything, fails or misses a host stops the bench. Ansible is Debian's `ansible-core` with",
    "`ansible-mitogen`. The ratio is to the no-op as typed of the same bench run: both are whole processes.",
    "",
    "Ansible's `apt` module needs `python3-apt` on the hosts. The site does not install it (it installs no",
    "Recommends). Without it, the module installs it itself, which is no no-op, or, under Mitogen, fails. So before",
    "timing, the bench installs it on every host: `apt-get --no-install-recommends install python3-apt`.",
    "",
    "**Loopback hosts.** `sshd` instances on 127.0.1.1 … 127.0.1.250, 127.0.2.1 … of the machine itself (15 addresses",
    "per `sshd`, every one stopped by its PID at the end, when starting fails half-way, or on SIGINT, SIGTERM or SIGHUP),",
    "port 2222, one user with",
    "`/bin/sh` and no rc files ([bench/loopback-hosts.ts](../bench/loopback-hosts.ts)). The playbook",
    "[bench/playbooks/scale.ts](../bench/playbooks/scale.ts) manages 30 resources per host: a directory and 29 files.",
    "As typed, `bin/foobar-infra` runs it as a new process, alternated run by run with an OpenSSH floor:",
    "`ssh HOST true` to every host at once from a shell script. One `ssh` process per host costs more than one `node`",
    "process holding every connection, so the command can beat this floor. Per host: the median divided by the hosts;",
    "controller CPU is user + system time of the whole command and the processes it waited for (bash's `times`).",
    "",
    "**Web throughput.** ApacheBench on lb-01 requests `GET /` through HAProxy over HTTPS, as users reach the site,",
    "then straight to one web host over HTTP. Both from lb-01: the firewall lets only the load balancers reach the",
    "web hosts. Non-2xx answers count as failed.",
    "",
    "**Engine work only.** One Node process loops over the work, warm. This shows what an engine change costs; no",
    "user runs it. The engine figure is a 30-resource no-op play on fake hosts in memory, with no network. The warm",
    "`site.ts` no-op runs on the lab in-process, alternated run by run with its floor: ssh2 connect + `true` to every",
    "host, in the same process. On the loopback hosts the scale playbook runs in-process: first every resource",
    "changes, then the no-op runs, then its ssh2 floor (not alternated).",
    "",
    "**Targets.** The no-op as typed at most 1.5× the OpenSSH floor. The first converge at most 1.3× its floor, and",
    "at most 60 s. The in-process no-op on 100 loopback hosts under 3 s.",
  ];
}

/** The page, from the results files (in any order): each group of rows from the newest file that holds it. */
export function renderBenchmarksPage(files: ResultsFile[]): string {
  const newest = newestFirst(files);
  const place = (groups: Group[]) => groups.flatMap((group) => fromNewest(newest, group) ?? []);
  const headline = place(headlineGroups(newest));
  const engine = place(engineGroups(newest));
  const targets = [...new Set(newest.map((file) => targetName(file.results)))];
  const perTarget = targets.flatMap((target) => {
    const ofTarget = newest.filter((file) => targetName(file.results) === target);
    const rows = [firstConvergeRows, asTypedRows].flatMap((group) => fromNewest(ofTarget, group) ?? []);
    return rows.length ? ["", `### ${target}`, "", ...table(rows)] : [];
  });
  const lines = [
    "# Benchmarks",
    "",
    ...intro(),
    "",
    "## As a user runs it",
    "",
    "Each row comes from the newest results file that holds its measure, so a `--quick` run leaves the rows it skips",
    "as they were. A ratio compares figures of that same file.",
    "",
    ...table(headline),
    "",
    "## Per target",
    "",
    "The first converge and the no-op as typed on each release and database the lab has run, each from the newest",
    "results file of that target (`FOOBAR_LAB_OS=debian12 npm run bench -- --only first-converge,as-typed` on a lab",
    "of that release, `FOOBAR_LAB_DB=mysql` for MySQL; a lab of another target must be down first).",
    ...perTarget,
    "",
    "## Engine work only (warm, in-process) — never what a user runs",
    "",
    "One process loops over the work: node starts and loads the code once, not at each run. For engine changes; the",
    "figures to quote are those above.",
    "",
    ...table(engine),
    "",
    ...howItIsMeasured(machines([...headline, ...engine])),
  ];
  return `${lines.join("\n")}\n`;
}

/** Writes docs/benchmarks.md from bench/results; its path from the repo root. */
export function writeBenchmarksPage(): string {
  writeFileSync(PAGE_FILE, renderBenchmarksPage(readResultsFiles(RESULTS_DIR)));
  return relative(REPO_ROOT, PAGE_FILE);
}

/** `npx tsx bench/page.ts [--check]`: 0 written or current, 2 stale under --check, 4 for an unknown argument. */
function main(argv: string[]): number {
  if (argv.some((arg) => arg !== "--check")) {
    console.error(`usage: ${PAGE_COMMAND} [--check]`);
    return 4;
  }
  if (!argv.includes("--check")) {
    console.log(`wrote ${writeBenchmarksPage()}`);
    return 0;
  }
  const current = existsSync(PAGE_FILE) ? readFileSync(PAGE_FILE, "utf8") : "";
  if (current === renderBenchmarksPage(readResultsFiles(RESULTS_DIR))) return 0;
  console.error(`${relative(REPO_ROOT, PAGE_FILE)} is stale: run ${PAGE_COMMAND}`);
  return 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) process.exitCode = main(process.argv.slice(2));
