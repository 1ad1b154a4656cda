// Lab test helper: fresh hosts, run a playbook through its real CLI, run commands on hosts, HTTP from outside.
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { join, resolve } from "node:path";
import inventory from "../../hosts.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { reset } from "../../lab/lab.ts";
import { STRICT_QUIET_BATCH } from "../../lab/machine.ts";
import { paths, REPO_ROOT } from "../../lab/paths.ts";
import { SITE_NAMES, siteAddress } from "../../lab/topology.ts";
import { capture, type CommandResult } from "../../lab/run-command.ts";
import type { Counts, RunEvent } from "../../lib/report/events.ts";
import { historyDir } from "../../lib/cli/history.ts";
import { becomeExec } from "../../lib/connection/become.ts";
import { resolveBecomePasswordsOf } from "../../lib/secrets/become.ts";
import { heredocBase64 } from "../../lib/shell.ts";
import { runtimeCommand } from "../../roles/haproxy/runtime.ts";
import { parseServersState } from "../../roles/haproxy/server-state-resource.ts";

/** Where the lab tests run: the local nspawn lab (default) or the user's Vagrant VMs (TEST_TARGET=vagrant). */
export const TARGET = process.env.TEST_TARGET === "vagrant" ? "vagrant" : "lab";
export const hosts = loadInventory(inventory, TARGET);
/** Every line any converge printed, for the tests that grep outputs for secrets. */
export const TEST_LOG = join(REPO_ROOT, ".lab", "test-logs", `${TARGET}.log`);

/** Every record of the run history the runs against the target wrote (.runs/<target>/), for the tests that grep for secrets. */
export function historyText(): string {
  const dir = join(historyDir(), TARGET);
  if (!existsSync(dir)) return "";
  return readdirSync(dir)
    .map((name) => readFileSync(join(dir, name), "utf8"))
    .join("\n");
}

export function host(name: string): Host {
  return hosts.host(name);
}

/** Pristine hosts for a test. The local lab resets them (seconds); Vagrant VMs cannot be reset here and are reused. */
export async function freshHosts(...names: string[]): Promise<void> {
  if (TARGET !== "lab") return;
  // uvu swallows errors thrown in before-hooks: say why here, or the suite just shows (0 / N).
  await reset(names, () => undefined).catch((error: Error) => {
    console.error(`freshHosts(${names.join(", ")}) failed: ${error.message}`);
    throw error;
  });
}

function sshArgs(target: Host): string[] {
  const key = target.ssh.key ? ["-i", resolve(REPO_ROOT, target.ssh.key), "-o", "IdentitiesOnly=yes"] : [];
  const knownHosts = target.ssh.knownHosts
    ? ["-o", `UserKnownHostsFile=${resolve(REPO_ROOT, target.ssh.knownHosts)}`]
    : [];
  return [
    "-F",
    "/dev/null",
    ...key,
    ...knownHosts,
    ...STRICT_QUIET_BATCH,
    "-o",
    "ConnectTimeout=5",
    "-p",
    String(target.ssh.port),
    `${target.ssh.user}@${target.address}`,
  ];
}

/** The hosts' become_passwords, resolved from the environment's secrets as a run resolves them (at the first onHost). */
let becomePasswords: Promise<void> | undefined;

/**
 * Run a shell command on a host as root, from outside, over a new SSH connection: the runner's own way to become root
 * (sudo -n, or sudo with the become_password from stdin), the command (and `input`, base64) on stdin.
 */
export async function onHost(name: string, command: string, input?: string): Promise<CommandResult> {
  becomePasswords ??= resolveBecomePasswordsOf(hosts.hosts, hosts, REPO_ROOT);
  await becomePasswords;
  const target = host(name);
  const login = becomeExec(target);
  // The command never reads the script itself: its stdin is `input` (a 0600 file for the moment), or nothing.
  const script =
    input === undefined
      ? `(\n${command}\n) </dev/null`
      : `foobar_input=$(mktemp)\n${heredocBase64(`base64 -d > "$foobar_input"`, input)}\n(\n${command}\n) < "$foobar_input"; foobar_rc=$?; rm -f "$foobar_input"; exit $foobar_rc`;
  return capture("ssh", [...sshArgs(target), login.command], { input: `${login.stdinPrefix}${script}\n` });
}

/** Like onHost, but throws with the output when the command fails. */
export async function mustOnHost(name: string, command: string, input?: string): Promise<string> {
  const result = await onHost(name, command, input);
  if (result.code !== 0)
    throw new Error(`${name}: \`${command}\` failed (exit ${result.code}): ${result.stderr || result.stdout}`);
  return result.stdout;
}

/** HAProxy's admin state of a web server on a load balancer: "ready", "drain" or "maint" (set through its runtime API). */
export async function adminState(lb: string, server: string): Promise<string> {
  return (
    parseServersState(await mustOnHost(lb, runtimeCommand("show servers state foobar_web"))).find(
      (running) => running.name === server,
    )?.admin ?? "absent"
  );
}

export interface Converge {
  exitCode: number;
  events: RunEvent[];
  recap: Record<string, Counts>;
  /** Changed count summed over hosts. */
  changed: number;
  /** Ids of the tasks that changed, as "host: id". */
  changedTasks: string[];
  output: string;
}

/** Run `playbooks/<name>.ts` (or a path relative to the repo) `-i <target> --json ...args` as a user would; parse its NDJSON events. */
export async function converge(playbook: string, args: string[] = []): Promise<Converge> {
  const file = playbook.includes("/") ? join(REPO_ROOT, playbook) : join(REPO_ROOT, "playbooks", `${playbook}.ts`);
  const argv = ["--import", "tsx", file, "-i", TARGET, "--json", ...args];
  const result = await capture(process.execPath, argv, { cwd: REPO_ROOT });
  mkdirSync(join(REPO_ROOT, ".lab", "test-logs"), { recursive: true });
  appendFileSync(TEST_LOG, `$ ${file} ${args.join(" ")}\n${result.stdout}\n${result.stderr}\n`);
  const events = result.stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as RunEvent);
  const recapEvent = events.find((event): event is Extract<RunEvent, { type: "recap" }> => event.type === "recap");
  if (!recapEvent)
    throw new Error(
      `${playbook}.ts ${args.join(" ")} printed no recap (exit ${result.code}):\n${result.stderr || result.stdout}`,
    );
  const failures = events.flatMap((event) =>
    event.type === "task" && event.status === "failed"
      ? [`${event.host}: ${event.id}: ${event.message}`]
      : event.type === "unreachable"
        ? [`${event.host}: ${event.message}`]
        : [],
  );
  if (failures.length > 0) appendFileSync(TEST_LOG, `failures:\n${failures.join("\n")}\n`);
  return {
    exitCode: result.code ?? 1,
    events,
    recap: recapEvent.hosts,
    changed: Object.values(recapEvent.hosts).reduce((sum, counts) => sum + counts.changed, 0),
    changedTasks: changedTaskIds(events),
    output: `${result.stdout}\n${result.stderr}\n${failures.join("\n")}`,
  };
}

/** "host: id" of each task that changed, in the order of the events; only tasks or only handlers when `which` says so. */
export function changedTaskIds(events: RunEvent[], which: "tasks" | "handlers" | "both" = "both"): string[] {
  const counted = (handler: boolean | undefined) => which === "both" || (which === "handlers") === Boolean(handler);
  return events.flatMap((event) =>
    event.type === "task" && event.status === "changed" && counted(event.handler) ? [`${event.host}: ${event.id}`] : [],
  );
}

export interface HttpReply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** The site as its users reach it: HTTPS on its public name (which the lab's DNS points at the load balancers' VIP). */
export const SITE_URL = `https://${SITE_NAMES[0]}/`;

/**
 * Where to connect for a URL: the site's names go to the VIP (as DNS would send them), and HTTPS to them is
 * checked against the root of the lab's ACME server (it changes on every Pebble start, so it is read each time).
 */
function siteTarget(url: URL, via = siteAddress()): { hostname?: string; servername?: string; ca?: string } {
  if (!SITE_NAMES.includes(url.hostname)) return {};
  return {
    hostname: via,
    servername: url.hostname,
    ...(url.protocol === "https:" ? { ca: readFileSync(paths.pebbleRoot, "utf8") } : {}),
  };
}

/** One HTTP(S) request from this machine (the lab's outside), no connection reuse; certificates are verified. `via`: the address the site's names go to (default: the VIP). */
export function http(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs?: number; via?: string } = {},
): Promise<HttpReply> {
  return new Promise((resolvePromise, reject) => {
    const parsed = new URL(url);
    const request = parsed.protocol === "https:" ? httpsRequest : httpRequest;
    const headers = { connection: "close", host: parsed.host, ...options.headers };
    const req = request(
      parsed,
      {
        method: options.method ?? "GET",
        headers,
        agent: false,
        timeout: options.timeoutMs ?? 5000,
        ...siteTarget(parsed, options.via),
      },
      (res) => {
        let body = "";
        res
          .setEncoding("utf8")
          .on("data", (chunk: string) => (body += chunk))
          .on("end", () => resolvePromise({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject).on("timeout", () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(options.body);
  });
}

/** Poll `check` until it returns true, up to `ms`; false when it never did. */
export async function eventually(check: () => Promise<boolean>, ms: number, stepMs = 250): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await new Promise((resolveTimer) => setTimeout(resolveTimer, stepMs));
  }
  return false;
}

export interface LoadResult {
  sent: number;
  failed: number;
  /** Status or error of each failure, for the assertion message. */
  failures: string[];
  /** When each failed request started (ms since the epoch), to bound an outage window. */
  failureTimes: number[];
  servedBy: Record<string, number>;
}

/**
 * Requests to `url` from `concurrency` workers (each sequential, `intervalMs` apart) until stopped, at most
 * `maxRequests` in all: a bounded load. `via` as for http().
 */
export function backgroundLoad(
  url: string,
  options: { intervalMs?: number; maxRequests?: number; concurrency?: number; via?: string } = {},
): { stop: () => Promise<LoadResult> } {
  const result: LoadResult = { sent: 0, failed: 0, failures: [], failureTimes: [], servedBy: {} };
  let stopped = false;
  const fail = (started: number, reason: string) => {
    result.failed++;
    result.failures.push(reason);
    result.failureTimes.push(started);
  };
  const worker = async () => {
    while (!stopped && result.sent < (options.maxRequests ?? 3000)) {
      result.sent++;
      const started = Date.now();
      try {
        const reply = await http(url, { timeoutMs: 5000, via: options.via });
        const server = String(reply.headers["x-served-by"] ?? "none");
        result.servedBy[server] = (result.servedBy[server] ?? 0) + 1;
        if (reply.status !== 200) fail(started, `${reply.status} from ${server}`);
      } catch (error) {
        fail(started, (error as Error).message);
      }
      await new Promise((resolveTimer) => setTimeout(resolveTimer, options.intervalMs ?? 20));
    }
  };
  const workers = Promise.all(Array.from({ length: options.concurrency ?? 1 }, worker));
  return {
    stop: async () => {
      stopped = true;
      await workers;
      return result;
    },
  };
}

export interface AbTotals {
  batches: number;
  completed: number;
  failed: number;
  non2xx: number;
}

/**
 * ApacheBench batches (`ab -c concurrency -n batchSize`, `-k` with keepAlive) against `url` until `during` settles; at
 * most `maxBatches`. Failed = connect, receive and exception failures: ab's "Length" failures are bodies of another
 * length than the first one's, normal for a page whose content changes.
 */
export async function abWhile(
  url: string,
  during: Promise<unknown>,
  options: { concurrency?: number; batchSize?: number; maxBatches?: number; keepAlive?: boolean } = {},
): Promise<AbTotals> {
  let done = false;
  void during.finally(() => (done = true));
  const totals: AbTotals = { batches: 0, completed: 0, failed: 0, non2xx: 0 };
  while (!done && totals.batches < (options.maxBatches ?? 40)) {
    const result = await capture("ab", [
      "-q",
      ...(options.keepAlive ? ["-k"] : []),
      "-s",
      "10",
      "-c",
      String(options.concurrency ?? 50),
      "-n",
      String(options.batchSize ?? 1000),
      url,
    ]);
    const number = (pattern: RegExp) => Number(pattern.exec(result.stdout)?.[1] ?? 0);
    if (result.code !== 0) throw new Error(`ab failed (exit ${result.code}): ${result.stderr.trim()}`);
    totals.batches++;
    totals.completed += number(/Complete requests:\s+(\d+)/);
    totals.failed += number(/Connect: (\d+)/) + number(/Receive: (\d+)/) + number(/Exceptions: (\d+)/);
    totals.non2xx += number(/Non-2xx responses:\s+(\d+)/);
  }
  await during;
  return totals;
}
