// Rolling deploy of the app: one web host at a time — drain in HAProxy, switch the release, wait for /health, ready.
// A host that fails its health check stays drained and the deploy stops: the other hosts keep the old release.
// --check prints that plan host by host, with what the app role would change, and changes nothing.
import inventory from "../hosts.ts";
import { parseCli, usageOf, STEP_FLAGS, type CliOptions, type CommandOptions } from "../lib/cli/args.ts";
import { REPO_ROOT, sshConnector } from "../lib/cli/connector.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith, runStep, sayer, secondsOption } from "../lib/cli/steps.ts";
import { InputError } from "../lib/errors.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { definePlaybook } from "../lib/dsl/playbook.ts";
import { resolveBecomePasswordsOf } from "../lib/secrets/become.ts";
import type { Host } from "../lib/inventory/types.ts";
import { applyLimit } from "../lib/runner/limit.ts";
import app from "../roles/app/index.ts";
import { readRelease } from "../roles/app/release.ts";
import { hostHealth, rollWebHosts } from "../roles/app/rolling.ts";
import { counted } from "../lib/report/words.ts";

/** What deploy.ts takes: its own options, and the shared ones it honours. */
export const DEPLOY_COMMAND: CommandOptions = {
  name: "deploy.ts",
  extra: {
    build: { type: "string" },
    "drain-timeout": { type: "string" },
    "health-timeout": { type: "string" },
  },
  honours: ["environment", "limit", "check", "diff", "listHosts", ...STEP_FLAGS],
  refusals: {
    tags: "a deploy converges the whole app role on each web host it rolls",
    skipTags: "a deploy converges the whole app role on each web host it rolls",
    forks: "a deploy rolls the web hosts one at a time",
  },
};

/** deploy.ts --help. */
export const DEPLOY_HELP = `Usage: npx tsx playbooks/deploy.ts [options]

${usageOf(DEPLOY_COMMAND)}
Deploy options:
      --build DIR            built release to ship (default: the app role's build_dir, app/dist)
      --drain-timeout SEC    how long to wait for a drained host's sessions to reach 0 (default 30)
      --health-timeout SEC   how long a switched host has to answer /health with the new version (default 60)`;

export async function deploy(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, DEPLOY_COMMAND);
  if (cli.help) {
    console.log(DEPLOY_HELP);
    return 0;
  }
  const drainMs = secondsOption(cli.extra["drain-timeout"], 30, "drain-timeout");
  const healthMs = secondsOption(cli.extra["health-timeout"], 60, "health-timeout");
  const buildDir = typeof cli.extra.build === "string" ? cli.extra.build : (app.defaults.build_dir ?? "app/dist");
  const version = readRelease(buildDir, REPO_ROOT).version;
  const loaded = loadInventory(inventory, cli.environment);
  const selected = applyLimit(loaded, cli.limit);
  const webHosts = loaded.group("web").filter((host) => selected.has(host.name));
  if (webHosts.length === 0) throw new InputError([`deploy.ts: no web host selected (limit ${cli.limit ?? "none"})`]);
  if (cli.listHosts) {
    const named = (hosts: Host[]) => hosts.map((host) => `${host.name} (${host.address})`).join(", ");
    console.log(
      `web hosts, one at a time: ${named(webHosts)}\ndrained on the load balancers: ${named(loaded.group("lb"))}`,
    );
    return 0;
  }
  await resolveBecomePasswordsOf(loaded.hosts, loaded, REPO_ROOT);
  const say = sayer(cli, "deploy");
  const connect = sshConnector(cli);
  const release = definePlaybook("deploy", [
    { name: `release ${version}`, hosts: "web", roles: [{ role: app, vars: { build_dir: buildDir } }] },
  ]);
  const converge = (host: Host) => runStep({ ...cli, forks: 1 }, inventory, release, host.name);
  if (cli.check) return checkDeploy({ cli, version, buildDir, webHosts, lbHosts: loaded.group("lb"), say, converge });
  const lbs = await Promise.all(loaded.group("lb").map(async (host) => ({ host, transport: await connect(host) })));
  say(`deploying ${version} from ${buildDir} to ${webHosts.map((host) => host.name).join(", ")}, one at a time`);
  try {
    const code = await rollWebHosts({
      playbook: "deploy.ts",
      webHosts,
      lbs,
      connect,
      say,
      drainMs,
      healthMs,
      skip: (health) => (health?.version === version ? `already runs ${version}` : undefined),
      converge,
      healthy: (health) => health.version === version,
      expected: `version ${version} healthy`,
    });
    if (code === 0) say(`deployed ${version} to ${counted(webHosts.length, "host")}`);
    return code;
  } finally {
    await Promise.all(lbs.map((lb) => lb.transport.close()));
  }
}

interface DeployCheck {
  cli: CliOptions;
  version: string;
  buildDir: string;
  webHosts: Host[];
  lbHosts: Host[];
  say: (line: string) => void;
  /** The app role on one host, here in check mode: what it would change, nothing changed. */
  converge: (host: Host) => Promise<number>;
}

/** deploy --check: each web host's plan (skip, or drain, switch, restart, wait) and the app role's changes; exit 2 on any. */
async function checkDeploy({ cli, version, buildDir, webHosts, lbHosts, say, converge }: DeployCheck): Promise<number> {
  say(
    `--check: would deploy ${version} from ${buildDir} to ${webHosts.map((host) => host.name).join(", ")}, one at a time; nothing is changed`,
  );
  const connect = sshConnector(cli);
  let code = 0;
  for (const host of webHosts) {
    const transport = await connect(host);
    const health = await hostHealth(transport, host)
      .catch(() => undefined)
      .finally(() => transport.close());
    if (health?.version === version) {
      say(`${host.name}: already runs ${version}; would be skipped`);
      continue;
    }
    say(
      `${host.name}: runs ${health?.version ?? "no answer on /health"}; would drain it in HAProxy on ${lbHosts.map((lb) => lb.name).join(", ")}, switch it to ${version} and restart the app, wait for /health to report ${version}, then put it back`,
    );
    const stepCode = await converge(host);
    code = Math.max(code, stepCode === 0 ? 2 : stepCode);
  }
  return code;
}

if (isMain(import.meta.url)) exitWith(deploy());
