// Rolling deploy of the app: one web host at a time — drain in HAProxy, switch the release, wait for /health, ready.
// A host that fails its health check stays drained and the deploy stops: the other hosts keep the old release.
import inventory from "../hosts.ts";
import { parseCli, USAGE } from "../lib/cli/args.ts";
import { REPO_ROOT, isMain, sshConnector } from "../lib/cli/main.ts";
import { runScript } from "../lib/connection/shell-session.ts";
import { UnreachableError, type Transport } from "../lib/connection/transport.ts";
import { InputError } from "../lib/errors.ts";
import type { Host } from "../lib/inventory/types.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { definePlaybook } from "../lib/playbook.ts";
import { humanReporter } from "../lib/report/human.ts";
import { mask } from "../lib/report/mask.ts";
import { ndjsonReporter } from "../lib/report/ndjson.ts";
import { applyLimit } from "../lib/runner/limit.ts";
import { poll } from "../lib/runner/poll.ts";
import { runPlaybook } from "../lib/runner/run.ts";
import app from "../roles/app/index.ts";
import { readRelease } from "../roles/app/release.ts";
import { SHOW_SERVER_STATS, parseServerStat, setServerState } from "../roles/haproxy/runtime.ts";
import { join } from "node:path";

const OPTIONS = {
  build: { type: "string" },
  "drain-timeout": { type: "string" },
  "health-timeout": { type: "string" },
} as const;

const DEPLOY_USAGE = `${USAGE}
Deploy options:
      --build DIR            built release to ship (default: the app role's build_dir, app/dist)
      --drain-timeout SEC    how long to wait for a drained host's sessions to reach 0 (default 30)
      --health-timeout SEC   how long a switched host has to answer /health with the new version (default 60)`;

interface Health {
  version?: string;
}

/** /health of the host's own nginx → app path, from the host itself. */
async function hostHealth(transport: Transport, host: Host): Promise<Health> {
  const result = await runScript(transport, host, "curl -sS -m 3 -H 'Host: www.foobar.com' http://127.0.0.1/health", 10_000);
  if (result.code !== 0) throw new Error(result.stderr.trim() || `curl exit ${result.code}`);
  return JSON.parse(result.stdout) as Health;
}

async function lbCommand(lb: { transport: Transport; host: Host }, script: string): Promise<string> {
  const result = await runScript(lb.transport, lb.host, script, 15_000);
  if (result.code !== 0) throw new Error(`${lb.host.name}: ${script}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

function seconds(value: string | boolean | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback * 1000;
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InputError([`--${name} must be a positive number of seconds, found "${value}"`]);
  return number * 1000;
}

export async function deploy(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, OPTIONS);
  if (cli.help) {
    console.log(`Usage: npx tsx playbooks/deploy.ts [options]\n\n${DEPLOY_USAGE}`);
    return 0;
  }
  const drainMs = seconds(cli.extra["drain-timeout"], 30, "drain-timeout");
  const healthMs = seconds(cli.extra["health-timeout"], 60, "health-timeout");
  const buildDir = typeof cli.extra.build === "string" ? cli.extra.build : (app.defaults.build_dir ?? "app/dist");
  const version = readRelease(buildDir, REPO_ROOT).version;
  const loaded = loadInventory(inventory, cli.environment);
  const selected = applyLimit(loaded, cli.limit);
  const webHosts = loaded.group("web").filter((host) => selected.has(host.name));
  const lbHosts = loaded.group("lb");
  if (webHosts.length === 0) throw new InputError([`no web host selected (limit ${cli.limit ?? "none"})`]);
  const say = (line: string) => (cli.json ? process.stdout.write(`${JSON.stringify({ type: "deploy", message: mask(line) })}\n`) : console.log(mask(line)));
  const connect = sshConnector(cli);
  const lbs = await Promise.all(lbHosts.map(async (host) => ({ host, transport: await connect(host) })));
  const release = definePlaybook("deploy", [{ name: `release ${version}`, hosts: "web", roles: [{ role: app, vars: { build_dir: buildDir } }] }]);
  say(`deploying ${version} from ${buildDir} to ${webHosts.map((host) => host.name).join(", ")}, one at a time`);
  try {
    for (const host of webHosts) {
      const transport = await connect(host);
      try {
        const before = await hostHealth(transport, host).catch(() => undefined);
        if (before?.version === version) {
          say(`${host.name}: already runs ${version}`);
          continue;
        }
        for (const lb of lbs) await lbCommand(lb, setServerState(host.name, "drain"));
        const drained = await poll(
          async () => Promise.all(lbs.map(async (lb) => parseServerStat(await lbCommand(lb, SHOW_SERVER_STATS), host.name)?.sessions ?? 0)),
          (sessions) => sessions.every((count) => count === 0),
          { timeoutMs: drainMs, intervalMs: 250 },
        );
        say(`${host.name}: drained in HAProxy${drained.ok ? ` (0 sessions after ${drained.elapsedMs} ms)` : `; ${drained.last?.join("/")} sessions left after ${drainMs / 1000} s, going on`}`);
        const result = await runPlaybook(release, {
          inventory, environment: cli.environment, limit: host.name, check: false, diff: cli.diff, forks: 1,
          reporter: cli.json ? ndjsonReporter() : humanReporter({ verbosity: cli.verbosity, color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR, live: false }),
          connect, repoRoot: REPO_ROOT, factsDir: join(REPO_ROOT, ".cache", "facts"), commandTimeoutMs: cli.timeoutSeconds * 1000,
        });
        const healthy = result.exitCode === 0
          ? await poll(() => hostHealth(transport, host), (health) => health.version === version, { timeoutMs: healthMs, intervalMs: 500 })
          : { ok: false, last: undefined, elapsedMs: 0 };
        if (!healthy.ok) {
          const seen = healthy.last ? `answered ${JSON.stringify(healthy.last)}` : result.exitCode === 0 ? "did not answer /health" : "failed to converge";
          say(`${host.name}: FAILED: ${seen} (expected version ${version}); it stays drained in HAProxy, the remaining hosts keep their release`);
          return 1;
        }
        for (const lb of lbs) await lbCommand(lb, setServerState(host.name, "ready"));
        const up = await poll(
          async () => Promise.all(lbs.map(async (lb) => parseServerStat(await lbCommand(lb, SHOW_SERVER_STATS), host.name)?.status ?? "")),
          (states) => states.every((state) => state.startsWith("UP")),
          { timeoutMs: healthMs, intervalMs: 250 },
        );
        if (!up.ok) {
          say(`${host.name}: FAILED: HAProxy reports ${up.last?.join("/")} after ready; stopping`);
          return 1;
        }
        say(`${host.name}: ${version} healthy and back in rotation (${healthy.elapsedMs} ms to healthy)`);
      } finally {
        await transport.close();
      }
    }
    say(`deployed ${version} to ${webHosts.length} host(s)`);
    return 0;
  } finally {
    await Promise.all(lbs.map((lb) => lb.transport.close()));
  }
}

if (isMain(import.meta.url)) {
  deploy().then(
    (code) => (process.exitCode = code),
    (error: Error) => {
      console.error(mask(`error: ${error.message}`));
      process.exitCode = error instanceof InputError ? 4 : error instanceof UnreachableError ? 3 : 1;
    },
  );
}
