// The no-op's host side alone: each lab host's no-op exec, recorded from an in-process run, replayed through OpenSSH
// from a shell script with no controller at all. What that costs, any runner making the same reads pays.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import inventory from "../hosts.ts";
import type { Transport } from "../lib/connection/transport.ts";
import { loadInventory } from "../lib/inventory/load.ts";
import type { Host } from "../lib/inventory/types.ts";
import { labConnect, labNoop } from "./site-noop.ts";
import type { RecordedExec } from "./whole-process.ts";

/** Each host's no-op exec: its command and the file holding its stdin (the become password too, where sudo asks one). */
export interface HostScripts {
  byAddress: Map<string, RecordedExec>;
  /** Deletes the recorded stdin files (a signal that ends the bench does too). */
  remove(): void;
}

const ENDING_SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** A private directory in memory (/dev/shm) where there is one, removed by `remove()` or by a signal that ends the bench. */
function privateDirectory(): { directory: string; remove(): void } {
  const directory = mkdtempSync(join(existsSync("/dev/shm") ? "/dev/shm" : tmpdir(), "bench-host-scripts-"));
  const onSignal = (signal: NodeJS.Signals) => {
    remove();
    process.kill(process.pid, signal);
  };
  const remove = () => {
    for (const signal of ENDING_SIGNALS) process.off(signal, onSignal);
    rmSync(directory, { recursive: true, force: true });
  };
  for (const signal of ENDING_SIGNALS) process.once(signal, onSignal);
  return { directory, remove };
}

/** A transport that keeps the first exec it runs (the host's no-op script) before running it. */
function recording(transport: Transport, keep: (command: string, stdin: string) => void): Transport {
  let kept = false;
  return {
    host: transport.host,
    exec(command, options = {}) {
      if (!kept) {
        if (options.moreStdin) throw new Error(`${transport.host}: the first exec waits for more stdin`);
        keep(command, options.stdin ?? "");
        kept = true;
      }
      return transport.exec(command, options);
    },
    close: () => transport.close(),
  };
}

/** Run site.ts -i lab in this process (a no-op each time) and keep each host's exec of the third run, in a private directory. */
export async function recordHostScripts(): Promise<HostScripts> {
  const { directory, remove } = privateDirectory();
  const byAddress: HostScripts["byAddress"] = new Map();
  try {
    const record = async (host: Host) =>
      recording(await labConnect(host), (command, stdin) => {
        const stdinFile = join(directory, `${host.name}.stdin`);
        writeFileSync(stdinFile, stdin, { mode: 0o600 });
        byAddress.set(host.address, { command, stdinFile });
      });
    // The recorded scripts must be steady-state ones: the probe memo they carry is what the run before left, and it
    // keeps no answer about a file changed within the second before. Right after a converge, two no-ops settle it.
    await labNoop();
    await labNoop();
    await labNoop(record);
    const hosts = loadInventory(inventory, "lab").hosts;
    const missing = hosts.filter((host) => !byAddress.has(host.address)).map((host) => host.name);
    if (missing.length > 0) throw new Error(`no exec recorded for ${missing.join(", ")}`);
  } catch (error) {
    remove();
    throw error;
  }
  return { byAddress, remove };
}
