// Run one shell script on a host as root: `sh -s` for root logins, sudo otherwise (script on stdin; lib/connection/become.ts).
import type { Host } from "../inventory/types.ts";
import { becomeExec } from "./become.ts";
import type { ExecResult, Transport } from "./transport.ts";

export function runScript(transport: Transport, host: Host, script: string, timeoutMs = 60_000): Promise<ExecResult> {
  const login = becomeExec(host);
  return transport.exec(login.command, { stdin: login.stdinPrefix + script, timeoutMs });
}
