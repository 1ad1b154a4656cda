// Rolling deploy of the app: one web host at a time — drain in HAProxy, switch the release, wait for /health, ready.
// A host that fails its health check stays drained and the deploy stops: the other hosts keep the old release.
import inventory from "../hosts.ts";
import { parseCli, USAGE } from "../lib/cli/args.ts";
import { REPO_ROOT, isMain, sshConnector } from "../lib/cli/main.ts";
import { exitWith, runStep, sayer, secondsOption } from "../lib/cli/steps.ts";
import { InputError } from "../lib/errors.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { definePlaybook } from "../lib/dsl/playbook.ts";
import { resolveBecomePasswordsOf } from "../lib/secrets/become.ts";
import { applyLimit } from "../lib/runner/limit.ts";
import app from "../roles/app/index.ts";
import { readRelease } from "../roles/app/release.ts";
import { rollWebHosts } from "../roles/app/rolling.ts";

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

export async function deploy(argv = process.argv.slice(2)): Promise<number> {
  const cli = parseCli(argv, OPTIONS);
  if (cli.help) {
    console.log(`Usage: npx tsx playbooks/deploy.ts [options]\n\n${DEPLOY_USAGE}`);
    return 0;
  }
  const drainMs = secondsOption(cli.extra["drain-timeout"], 30, "drain-timeout");
  const healthMs = secondsOption(cli.extra["health-timeout"], 60, "health-timeout");
  const buildDir = typeof cli.extra.build === "string" ? cli.extra.build : (app.defaults.build_dir ?? "app/dist");
  const version = readRelease(buildDir, REPO_ROOT).version;
  const loaded = loadInventory(inventory, cli.environment);
  const selected = applyLimit(loaded, cli.limit);
  const webHosts = loaded.group("web").filter((host) => selected.has(host.name));
  if (webHosts.length === 0) throw new InputError([`no web host selected (limit ${cli.limit ?? "none"})`]);
  await resolveBecomePasswordsOf(loaded.hosts, loaded, REPO_ROOT);
  const say = sayer(cli, "deploy");
  const connect = sshConnector(cli);
  const lbs = await Promise.all(loaded.group("lb").map(async (host) => ({ host, transport: await connect(host) })));
  const release = definePlaybook("deploy", [
    { name: `release ${version}`, hosts: "web", roles: [{ role: app, vars: { build_dir: buildDir } }] },
  ]);
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
      converge: (host) => runStep({ ...cli, forks: 1 }, inventory, release, host.name),
      healthy: (health) => health.version === version,
      expected: `version ${version} healthy`,
    });
    if (code === 0) say(`deployed ${version} to ${webHosts.length} host(s)`);
    return code;
  } finally {
    await Promise.all(lbs.map((lb) => lb.transport.close()));
  }
}

if (isMain(import.meta.url)) exitWith(deploy());
