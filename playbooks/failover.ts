// Database failover: `failover.ts --promote db-02` — check the replica is not behind a primary that still answers
// (--force overrides), fence the old primary, promote the replica, re-point the apps one web host at a time through
// the drain-aware path, and print the hosts.ts swap that makes site.ts converge the old primary as a replica.
import inventory from "../hosts.ts";
import { parseCli, usageOf, STEP_FLAGS, type CliOptions, type CommandOptions } from "../lib/cli/args.ts";
import { REPO_ROOT, sshConnector } from "../lib/cli/connector.ts";
import { isMain } from "../lib/cli/main.ts";
import { exitWith, runStep, sayer, secondsOption } from "../lib/cli/steps.ts";
import { counted } from "../lib/report/words.ts";
import { holdConvergeLocks } from "../lib/runner/command-lock.ts";
import { runLock, type RunLock } from "../lib/runner/host-lock.ts";
import { runScript } from "../lib/connection/shell-session.ts";
import type { Transport } from "../lib/connection/transport.ts";
import { InputError } from "../lib/errors.ts";
import type { Host, Inventory, InventorySpec } from "../lib/inventory/types.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import { definePlaybook } from "../lib/dsl/playbook.ts";
import { resolveBecomePasswordsOf } from "../lib/secrets/become.ts";
import app, { DATABASE_TAG } from "../roles/app/index.ts";
import { rollWebHosts } from "../roles/app/rolling.ts";
import { writeMarkerScript, type FailoverMarker } from "../roles/mysql_common/failover-marker.ts";
import {
  fenceConfigPath,
  fenceScript,
  parseServerState,
  promoteScript,
  serverStateScript,
  unfenceScript,
  waitForGtidsScript,
  waited,
  type ServerState,
} from "../roles/mysql_common/failover-sql.ts";
import { flavorOf, type DbEngine, type DbFlavor } from "../roles/mysql_common/flavor.ts";
import { gtidGap } from "../roles/mysql_common/gtid.ts";
import { hostsTsChange, swapDbGroups } from "../roles/mysql_common/topology-swap.ts";
import mysqlPrimary from "../roles/mysql_primary/index.ts";
import mysqlReplica from "../roles/mysql_replica/index.ts";
import { mergeRoleVars } from "../lib/runner/vars.ts";

/** What failover.ts takes: its own options, and the shared ones it honours (it acts on the whole database tier). */
export const FAILOVER_COMMAND: CommandOptions = {
  name: "failover.ts",
  extra: {
    promote: { type: "string" },
    force: { type: "boolean" },
    "catch-up-timeout": { type: "string" },
    "drain-timeout": { type: "string" },
    "health-timeout": { type: "string" },
  },
  honours: ["environment", "diff", ...STEP_FLAGS],
  refusals: {
    check: "failover.ts has no dry run (site.ts --check shows the topology afterwards)",
    limit: "failover.ts acts on the whole database tier and every web host",
    tags: "failover.ts applies exactly the roles a failover needs",
    skipTags: "failover.ts applies exactly the roles a failover needs",
    forks: "failover.ts re-points the web hosts one at a time",
    listHosts: "failover.ts acts on the database tier, every web host and the load balancers (hosts.ts groups)",
  },
};

/** failover.ts --help. */
export const FAILOVER_HELP = `Usage: npx tsx playbooks/failover.ts --promote HOST [options]

${usageOf(FAILOVER_COMMAND)}
Failover options:
      --promote HOST         the replica (group db_replica) to make the primary
      --force                promote even when it lacks transactions of a primary that still answers (they are lost to it)
      --catch-up-timeout SEC how long the replica has to apply what it received / the fenced primary's last writes (default 30)
      --drain-timeout SEC    how long to wait for a drained web host's sessions to reach 0 (default 30)
      --health-timeout SEC   how long a re-pointed web host has to report its new primary reachable (default 60)`;

async function run(transport: Transport, host: Host, script: string, timeoutMs = 120_000): Promise<string> {
  const result = await runScript(transport, host, script, timeoutMs);
  if (result.code !== 0)
    throw new Error(`${host.name}: ${(result.stderr || result.stdout).trim() || `exit ${result.code}`}`);
  return result.stdout;
}

/** The engine the inventory names for the replica being promoted (its mysql_replica role's db_engine). */
function flavorOfReplica(loaded: Inventory, host: Host): DbFlavor {
  return flavorOf(mergeRoleVars(mysqlReplica, loaded, host).db_engine as DbEngine);
}

const stateOf = async (flavor: DbFlavor, transport: Transport, host: Host): Promise<ServerState> =>
  parseServerState(flavor, await run(transport, host, serverStateScript(flavor)));

function describeReplica(name: string, state: ServerState): string {
  const { replica } = state;
  if (!replica.configured) return `${name} is not replicating`;
  const lag = replica.lagSeconds === null ? "lag unknown" : `${replica.lagSeconds} s behind`;
  return `${name} replicates from ${replica.sourceHost} (IO thread ${replica.ioRunning}, SQL thread ${replica.sqlRunning}, ${lag})`;
}

interface Plan {
  cli: CliOptions;
  spec: InventorySpec;
  loaded: Inventory;
  old: Host;
  target: Host;
  webHosts: Host[];
  lbHosts: Host[];
  /** failover.ts's converge lock on the database and web hosts, held over its own logins; its steps take it again. */
  lock: RunLock;
}

function planOf(argv: string[], spec: InventorySpec): Plan | undefined {
  const cli = parseCli(argv, FAILOVER_COMMAND);
  if (cli.help) return undefined;
  const loaded = loadInventory(spec, cli.environment);
  const promote = cli.extra.promote;
  if (typeof promote !== "string") throw new InputError(["--promote HOST is required (a host of group db_replica)"]);
  const old = loaded.group("db_primary")[0];
  if (!old) throw new InputError(["the inventory has no host in group db_primary"]);
  if (!loaded.group("db_replica").some((host) => host.name === promote)) {
    throw new InputError([
      `--promote ${promote}: not a host of group db_replica (${
        loaded
          .group("db_replica")
          .map((host) => host.name)
          .join(", ") || "empty"
      })`,
    ]);
  }
  return {
    cli,
    spec,
    loaded,
    old,
    target: loaded.host(promote),
    webHosts: loaded.group("web"),
    lbHosts: loaded.group("lb"),
    lock: runLock("failover.ts"),
  };
}

/** The whole failover; exit 0 promoted and apps re-pointed, 1 refused or failed, 3 the replica is unreachable, 4 bad input. */
export async function failover(argv = process.argv.slice(2), spec: InventorySpec = inventory): Promise<number> {
  const plan = planOf(argv, spec);
  if (!plan) {
    console.log(FAILOVER_HELP);
    return 0;
  }
  const { cli, old, target } = plan;
  await resolveBecomePasswordsOf(plan.loaded.hosts, plan.loaded, REPO_ROOT);
  const say = sayer(cli, "failover");
  const catchUpSeconds = secondsOption(cli.extra["catch-up-timeout"], 30, "catch-up-timeout") / 1000;
  const connect = sshConnector(cli);
  const targetTransport = await connect(target);
  const oldTransport = await connect(old).catch((error: Error) => {
    say(
      `${old.name}: unreachable over SSH (${error.message}): it cannot be fenced from here; going on — keep it from serving writes (power it off) until it rejoins`,
    );
    return undefined;
  });
  // No converge changes these hosts while the failover does (a site.ts run on the old primary would unfence it).
  const locks = await holdConvergeLocks(
    [...(oldTransport ? [old] : []), target, ...plan.webHosts],
    connect,
    plan.lock,
    cli.noWait ? 0 : cli.timeoutSeconds,
    say,
  ).catch(async (error: Error) => {
    await Promise.all([targetTransport.close(), oldTransport?.close()]);
    throw error;
  });
  try {
    const flavor = flavorOfReplica(plan.loaded, target);
    const replica = await stateOf(flavor, targetTransport, target);
    if (!replica.answers) throw new Error(`${target.name}: the database server does not answer; nothing was changed`);
    const primary = oldTransport ? await stateOf(flavor, oldTransport, old) : undefined;
    say(describeReplica(target.name, replica));
    if (primary?.answers) {
      const gap = gtidGap(flavor, primary.executedGtids, replica.executedGtids);
      if (gap.transactions > 0 && !cli.extra.force) {
        say(
          `REFUSED: ${old.name} still answers and ${target.name} lacks ${gap.transactions} of its transactions: ${gap.description}. ` +
            `Let replication catch up (or repair it with site.ts) and run again, or use --force to promote anyway (those transactions would be lost to ${target.name}). Nothing was changed.`,
        );
        return 1;
      }
      if (gap.transactions > 0)
        say(
          `--force: promoting ${target.name} without ${counted(gap.transactions, "transaction")} of ${old.name}: ${gap.description}`,
        );
      await run(oldTransport!, old, fenceScript(flavor, true));
      say(`${old.name}: fenced: read-only now and in ${fenceConfigPath(flavor)}`);
      const final = await stateOf(flavor, oldTransport!, old);
      const caughtUp =
        gap.transactions === 0 || replica.replica.sqlRunning === "Yes"
          ? waited(await run(targetTransport, target, waitForGtidsScript(flavor, final.executedGtids, catchUpSeconds)))
          : false;
      if (!caughtUp && !cli.extra.force) {
        await run(oldTransport!, old, unfenceScript(flavor));
        say(
          `REFUSED: ${target.name} did not apply ${old.name}'s last transactions (${final.executedGtids}) within ${catchUpSeconds} s; ${old.name} is writable again. Nothing else was changed.`,
        );
        return 1;
      }
    } else {
      if (oldTransport) {
        await run(oldTransport, old, fenceScript(flavor, false));
        say(
          `${old.name}: the database server does not answer; fenced in ${fenceConfigPath(flavor)} so it comes back read-only`,
        );
      }
      if (replica.receivedGtids) {
        const applied = waited(
          await run(targetTransport, target, waitForGtidsScript(flavor, replica.receivedGtids, catchUpSeconds)),
        );
        say(
          `${target.name}: ${applied ? "applied everything it received" : `had not applied everything it received (${replica.receivedGtids}) after ${catchUpSeconds} s; going on`}`,
        );
      }
    }
    return await promote(plan, flavor, { target: targetTransport, old: oldTransport }, say);
  } finally {
    await Promise.all([targetTransport.close(), oldTransport?.close(), locks.release()]);
  }
}

async function promote(
  plan: Plan,
  flavor: DbFlavor,
  transports: { target: Transport; old: Transport | undefined },
  say: (line: string) => void,
): Promise<number> {
  const { cli, spec, old, target } = plan;
  const marker: FailoverMarker = {
    primary: target.name,
    primaryAddress: target.privateAddress,
    previous: old.name,
    at: new Date().toISOString(),
  };
  await run(transports.target, target, `${promoteScript(flavor)}\n${writeMarkerScript(marker)}`);
  if (transports.old) await run(transports.old, old, writeMarkerScript(marker));
  say(`${target.name}: promoted: replication reset, writable`);
  // The primary role on the promoted host, with the groups already swapped: its config without read_only (a restart
  // keeps it writable), the app's writer account from the web hosts, the replication account for the old primary.
  const swapped = swapDbGroups(spec, cli.environment, target.name);
  const primaryPlay = definePlaybook("failover-primary", [
    { name: `promoted primary ${target.name}`, hosts: "db_primary", roles: [mysqlPrimary] },
  ]);
  if ((await runStep(cli, swapped, primaryPlay, target.name, undefined, plan.lock)) !== 0) {
    say(`${target.name}: FAILED to converge as the primary (see above); the apps still point at ${old.name}`);
    return 1;
  }
  const connect = sshConnector(cli);
  const lbs = await Promise.all(plan.lbHosts.map(async (host) => ({ host, transport: await connect(host) })));
  const endpoints = { db_primary_host: target.privateAddress, db_replica_host: target.privateAddress };
  try {
    const code = await rollWebHosts({
      playbook: "failover.ts",
      webHosts: plan.webHosts,
      lbs,
      connect,
      say,
      drainMs: secondsOption(cli.extra["drain-timeout"], 30, "drain-timeout"),
      healthMs: secondsOption(cli.extra["health-timeout"], 60, "health-timeout"),
      converge: async (host, before) => {
        const transport = await connect(host);
        await run(transport, host, writeMarkerScript(marker)).finally(() => transport.close());
        // The running release stays: only the database endpoints change (and the app restarts for them).
        const vars = { ...endpoints, ...(before?.version ? { version: before.version } : {}) };
        return runStep(
          cli,
          spec,
          definePlaybook("failover-app", [
            { name: `app on ${target.name}`, hosts: "web", roles: [{ role: app, vars }] },
          ]),
          host.name,
          [DATABASE_TAG],
          plan.lock,
        );
      },
      healthy: (health) => typeof health.database === "object" && health.database.primary?.reachable === true,
      expected: `writing to ${target.name}`,
    });
    if (code !== 0) return code;
  } finally {
    await Promise.all(lbs.map((lb) => lb.transport.close()));
  }
  const loaded = loadInventory(spec, cli.environment);
  const groups = {
    primary: loaded.group("db_primary").map((host) => host.name),
    replicas: loaded.group("db_replica").map((host) => host.name),
  };
  say(
    [
      `${target.name} is the primary; every app writes and reads there. Until hosts.ts says so, site.ts refuses the database and web hosts.`,
      "Now make this change in hosts.ts (the `groups` of the environments), then run site.ts: it converges",
      `${old.name} as a replica of ${target.name} (by GTID; re-seeded from a dump if it holds transactions ${target.name} lacks):`,
      hostsTsChange(groups, target.name),
    ].join("\n"),
  );
  return 0;
}

if (isMain(import.meta.url)) exitWith(failover());
