// A command that changes hosts outside a playbook run (failover.ts) takes their converge locks first, as a run does,
// and holds them over its own logins until it ends; the playbook runs it makes as steps take them again at once.
import { runScript } from "../connection/shell-session.ts";
import type { Transport } from "../connection/transport.ts";
import type { Host } from "../inventory/types.ts";
import { lockStep, parseLock, releaseScript, type RunLock } from "./host-lock.ts";
import type { Connector } from "./run-options.ts";

export interface HeldLocks {
  /** Ends every holder: the logins they are tied to close. */
  release(): Promise<void>;
}

/**
 * Take `lock` on every host, one login each kept open until release(); wait at most `waitSeconds` for another run
 * (0: fail at once, --no-wait), telling `say` who holds it. Throws, releasing what it took, when a host stays busy.
 */
export async function holdConvergeLocks(
  hosts: Host[],
  connect: Connector,
  lock: RunLock,
  waitSeconds: number,
  say: (line: string) => void,
): Promise<HeldLocks> {
  const logins: { host: Host; transport: Transport }[] = [];
  // A login kept for later runs (--persist) would keep its holder alive: that one is ended by name first.
  const release = async () => {
    await Promise.all(
      logins.map(async ({ host, transport }) => {
        if (transport.outlivesRun) await runScript(transport, host, releaseScript(lock), 15_000).catch(() => undefined);
        await transport.close();
      }),
    );
  };
  try {
    for (const host of hosts) {
      const transport = await connect(host);
      logins.push({ host, transport });
      await takeOn(transport, host, lock, waitSeconds, say);
    }
  } catch (error) {
    await release();
    throw error;
  }
  return { release };
}

async function takeOn(
  transport: Transport,
  host: Host,
  lock: RunLock,
  waitSeconds: number,
  say: (line: string) => void,
) {
  const attempt = async (seconds: number) => {
    const step = lockStep(lock, seconds, undefined);
    const result = await runScript(transport, host, step.script, (seconds + 30) * 1000);
    return parseLock(result.stdout, result.code ?? -1);
  };
  let state = await attempt(0);
  if (state.state === "busy" && waitSeconds > 0) {
    say(`${host.name}: converge lock held by ${state.holder}; waiting (at most ${waitSeconds} s)`);
    state = await attempt(waitSeconds);
  }
  if (state.state === "busy")
    throw new Error(
      `${host.name}: converge lock held by ${state.holder}${waitSeconds > 0 ? ` after ${waitSeconds} s` : " (--no-wait)"}; nothing was changed`,
    );
}
