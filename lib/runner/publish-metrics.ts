// Publish a run's metrics files (lib/report/run-metrics.ts) to the inventory's runMetrics host, as root, over the
// login the run already has there (a new one when the run did not include that host), each file replaced atomically.
import { becomeExec } from "../connection/become.ts";
import type { Transport } from "../connection/transport.ts";
import type { Inventory } from "../inventory/types.ts";
import type { MetricsFile } from "../report/run-metrics.ts";
import { sh } from "../shell.ts";
import type { HostRun } from "./host-chains.ts";
import type { Connector } from "./run-options.ts";

/** The shell that writes `files` into `directory`: each through a temporary name the collector ignores, then renamed. */
export function publishScript(directory: string, files: MetricsFile[]): string {
  return [
    sh`mkdir -p ${directory}`,
    ...files.map((file) => {
      const path = `${directory}/${file.name}`;
      const temporary = `${directory}/.${file.name}.tmp`;
      return sh`printf '%s' ${file.text} > ${temporary} && chmod 0644 ${temporary} && mv -f ${temporary} ${path}`;
    }),
  ].join(" &&\n");
}

/**
 * Write `files` on the metrics host; undefined when done, else why not (the run's exit code stands either way: a
 * check that cannot publish still reports its drift).
 */
export async function publishMetrics(
  inventory: Inventory,
  runs: Map<string, HostRun>,
  connect: Connector,
  files: MetricsFile[],
): Promise<string | undefined> {
  const target = inventory.runMetrics;
  if (!target || files.length === 0) return undefined;
  const host = inventory.host(target.host);
  const session = runs.get(host.name)?.session;
  const login = session?.login ?? becomeExec(host);
  let transport: Transport | undefined = session?.transport;
  try {
    transport ??= await connect(host);
    const result = await transport.exec(login.command, {
      stdin: login.stdinPrefix + publishScript(target.directory, files),
      timeoutMs: 30_000,
    });
    if (result.code !== 0)
      return `writing ${target.directory} on ${host.name} exited ${result.code}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`;
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    if (!session && transport) await transport.close();
  }
}
