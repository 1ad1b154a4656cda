// Run one shell script on a host as root: `sh -s` for root logins, `sudo -n sh -s` otherwise (script on stdin).
import type { Host } from "../inventory/types.ts";
import type { ExecResult, Transport } from "./transport.ts";

export function runScript(transport: Transport, host: Host, script: string, timeoutMs = 60_000): Promise<ExecResult> {
  return transport.exec(host.become ? "sudo -n sh -s" : "sh -s", { stdin: script, timeoutMs });
}
