// Taking a web server out of HAProxy's rotation and back, on every load balancer of the lb group at once
// (drain, wait for its sessions to end; ready, wait until every LB reports it UP) — the runtime API over SSH, with a
// drain mark on each LB so a converge in the meantime leaves the drained server alone.
import { runScript } from "../../lib/connection/shell-session.ts";
import type { Transport } from "../../lib/connection/transport.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { poll, type PollResult } from "../../lib/runner/poll.ts";
import { drainWithMark, readyAndUnmark, SHOW_SERVER_STATS, parseServerStat, type DrainMark } from "./runtime.ts";

export interface LbSession {
  host: Host;
  transport: Transport;
}

async function lbCommand(lb: LbSession, script: string): Promise<string> {
  const result = await runScript(lb.transport, lb.host, script, 15_000);
  if (result.code !== 0) throw new Error(`${lb.host.name}: ${script}: ${(result.stderr || result.stdout).trim()}`);
  return result.stdout;
}

/** Drain `server` on every LB; resolves when its sessions reached 0 everywhere (ok) or the time ran out (sessions left per LB). */
export async function drainEverywhere(
  lbs: LbSession[],
  server: string,
  timeoutMs: number,
  mark: DrainMark,
): Promise<PollResult<number[]>> {
  for (const lb of lbs) await lbCommand(lb, drainWithMark(server, mark));
  return poll(
    async () =>
      Promise.all(
        lbs.map(async (lb) => parseServerStat(await lbCommand(lb, SHOW_SERVER_STATS), server)?.sessions ?? 0),
      ),
    (sessions) => sessions.every((count) => count === 0),
    { timeoutMs, intervalMs: 250 },
  );
}

/** Put `server` back to ready on every LB; resolves when every LB reports it UP (ok) or the time ran out (states per LB). */
export async function readyEverywhere(
  lbs: LbSession[],
  server: string,
  timeoutMs: number,
): Promise<PollResult<string[]>> {
  for (const lb of lbs) await lbCommand(lb, readyAndUnmark(server));
  return poll(
    async () =>
      Promise.all(lbs.map(async (lb) => parseServerStat(await lbCommand(lb, SHOW_SERVER_STATS), server)?.status ?? "")),
    (states) => states.every((state) => state.startsWith("UP")),
    { timeoutMs, intervalMs: 250 },
  );
}
