// Local transport: runs commands on this machine through /bin/sh -c (tests and the lab driver).
import { spawn } from "node:child_process";
import { type ExecOptions, type ExecResult, feedStdin, type Transport } from "./transport.ts";

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // The group is already gone.
  }
}

function runLocal(command: string, options: ExecOptions): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    // detached: the command leads its own process group, so a timeout kills its children too.
    const child = spawn("/bin/sh", ["-c", command], { detached: true, stdio: ["pipe", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let timedOut = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    // A command that exits without reading its stdin makes the write fail with EPIPE: not an error here.
    child.stdin.on("error", () => {});
    let timer: NodeJS.Timeout | undefined;
    let closed = false;
    const startTimer = () => {
      if (options.timeoutMs === undefined) return;
      timer = setTimeout(() => {
        timedOut = true;
        killGroup(child.pid);
      }, options.timeoutMs);
    };
    child.on("error", (error) => {
      closed = true;
      clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code) => {
      closed = true;
      clearTimeout(timer);
      resolve({ stdout, stderr, code: timedOut ? null : code });
    });
    feedStdin(child.stdin, options, startTimer, () => closed);
  });
}

/** A Transport for this machine; `name` is the host name it reports. */
export function localTransport(name = "localhost"): Transport {
  return {
    host: name,
    // The converge lock's holder is tied to this process, which outlives the run: the runner ends it.
    outlivesRun: true,
    exec: (command, options = {}) => runLocal(command, options),
    async close() {},
  };
}
