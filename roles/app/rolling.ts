// One web host at a time through the load balancers: drain it everywhere, converge it, wait for its /health,
// put it back — used by deploy.ts (a new release) and failover.ts (new database endpoints). A host that fails
// stays drained and the roll stops: the remaining hosts are left as they were.
import { hostname, userInfo } from "node:os";
import { runScript } from "../../lib/connection/shell-session.ts";
import type { Transport } from "../../lib/connection/transport.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { poll } from "../../lib/runner/poll.ts";
import { drainEverywhere, readyEverywhere, type LbSession } from "../haproxy/rotation.ts";

/** The parts of the app's /health a roll looks at. */
export interface Health {
  status?: "ok" | "degraded" | "down";
  version?: string;
  database?: "not configured" | { primary?: { reachable?: boolean } };
}

/** /health of the host's own nginx → app path, from the host itself. */
export async function hostHealth(transport: Transport, host: Host): Promise<Health> {
  const result = await runScript(
    transport,
    host,
    "curl -sS -m 3 -H 'Host: www.foobar.com' http://127.0.0.1/health",
    10_000,
  );
  if (result.code !== 0) throw new Error(result.stderr.trim() || `curl exit ${result.code}`);
  return JSON.parse(result.stdout) as Health;
}

/** A drain mark outlives the roll's own waits by this much (the host's converge); a killed roll's mark then expires. */
const CONVERGE_ALLOWANCE_S = 600;

export interface RollOptions {
  /** The playbook rolling, named in the drain marks a concurrent converge respects ("deploy.ts"). */
  playbook: string;
  webHosts: Host[];
  lbs: LbSession[];
  connect: (host: Host) => Promise<Transport>;
  say: (line: string) => void;
  drainMs: number;
  healthMs: number;
  /** Why a host needs nothing (it is skipped), judged from its /health before; undefined: roll it. */
  skip?: (health: Health | undefined) => string | undefined;
  /** Converge the host (one playbook run limited to it); returns the run's exit code. */
  converge: (host: Host, before: Health | undefined) => Promise<number>;
  /** The /health a converged host must answer, and how the messages name it. */
  healthy: (health: Health) => boolean;
  expected: string;
}

/** Roll the web hosts one at a time; 0 when every host came back healthy, 1 when one failed (it stays drained). */
export async function rollWebHosts(options: RollOptions): Promise<number> {
  const { lbs, say } = options;
  for (const host of options.webHosts) {
    const transport = await options.connect(host);
    try {
      const before = await hostHealth(transport, host).catch(() => undefined);
      const skipped = options.skip?.(before);
      if (skipped) {
        say(`${host.name}: ${skipped}`);
        continue;
      }
      const until = Math.ceil(Date.now() / 1000 + (options.drainMs + options.healthMs) / 1000 + CONVERGE_ALLOWANCE_S);
      const drained = await drainEverywhere(lbs, host.name, options.drainMs, {
        holder: `${options.playbook}:${userInfo().username}@${hostname()}`,
        until,
      });
      say(
        `${host.name}: drained in HAProxy${drained.ok ? ` (0 sessions after ${drained.elapsedMs} ms)` : `; ${drained.last?.join("/")} sessions left after ${options.drainMs / 1000} s, going on`}`,
      );
      const code = await options.converge(host, before);
      const healthy =
        code === 0
          ? await poll(() => hostHealth(transport, host), options.healthy, {
              timeoutMs: options.healthMs,
              intervalMs: 500,
            })
          : { ok: false, last: undefined, elapsedMs: 0 };
      if (!healthy.ok) {
        const seen = healthy.last
          ? `answered ${JSON.stringify(healthy.last)}`
          : code === 0
            ? "did not answer /health"
            : "failed to converge";
        say(
          `${host.name}: FAILED: ${seen} (expected ${options.expected}); it stays drained in HAProxy, the remaining hosts are left as they were`,
        );
        return 1;
      }
      const up = await readyEverywhere(lbs, host.name, options.healthMs);
      if (!up.ok) {
        say(`${host.name}: FAILED: HAProxy reports ${up.last?.join("/")} after ready; stopping`);
        return 1;
      }
      say(`${host.name}: ${options.expected}, back in rotation (${healthy.elapsedMs} ms to healthy)`);
    } finally {
      await transport.close();
    }
  }
  return 0;
}
