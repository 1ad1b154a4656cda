// Publish a run's metrics files (lib/report/run-metrics.ts) to the inventory's runMetrics host, as root, over the
// login the run already has there (a new one when the run did not include that host), each file replaced atomically.
import { becomeExec } from "../connection/become.ts";
import type { ExecResult, Transport } from "../connection/transport.ts";
import type { Host, Inventory } from "../inventory/types.ts";
import type { MetricsFile } from "../report/run-metrics.ts";
import { sh } from "../shell.ts";
import type { HostRun } from "./host-chains.ts";
import type { HostSession } from "./host-session.ts";
import type { Connector } from "./run-options.ts";

/** How long the metrics host's shell may take once it has its script. */
const PUBLISH_TIMEOUT_MS = 30_000;

/** Where the files are written before they are moved into the directory: a subdirectory the collector does not read. */
const STAGING = ".foobar-staging";

/**
 * The shell that writes `files` into `directory`: all into a staging subdirectory (0644, whatever the login's umask),
 * then one `mv` renames each into place, so the collector never reads a half-written file. Beyond the shell itself,
 * it starts one process (two the first time, to make the staging directory): each process costs the metrics host
 * about 10 ms, and a chmod and an mv per file were 28 of them for the lab's seven hosts, at the end of every run.
 */
export function publishScript(directory: string, files: MetricsFile[]): string {
  const staging = `${directory}/${STAGING}`;
  const staged = files.map((file) => `${staging}/${file.name}`);
  return [
    "umask 022",
    sh`{ [ -d ${staging} ] || mkdir -p ${staging}; }`,
    ...files.map((file, index) => sh`printf '%s' ${file.text} > ${staged[index]!}`),
    sh`mv -f -t ${directory} ${staged}`,
  ].join(" &&\n");
}

/**
 * The run's way to the metrics host. The root shell there is opened as soon as the run's pre-probe of that host is
 * done (`probed`), so sudo (and its password check) overlaps the other hosts' work instead of following it, and it
 * waits for its script until the run knows its outcome (`publish`). Without a login of the run there, `publish` logs in.
 */
export class MetricsPublisher {
  private giveScript?: (script: string) => void;
  private opened?: Promise<ExecResult>;

  constructor(
    private readonly inventory: Inventory,
    private readonly connect: Connector,
  ) {}

  /** A host's session, its pre-probe done: on the metrics host, the root shell starts now and waits for its script. */
  probed(session: HostSession): void {
    if (session.host !== this.inventory.runMetrics?.host || this.opened) return;
    const script = new Promise<string>((resolve) => (this.giveScript = resolve));
    this.opened = session.transport.exec(session.login.command, {
      stdin: session.login.stdinPrefix,
      moreStdin: script,
      timeoutMs: PUBLISH_TIMEOUT_MS,
    });
    this.opened.catch(() => {});
  }

  /**
   * Write `files` on the metrics host; undefined when done, else why not (the run's exit code stands either way: a
   * check that cannot publish still reports its drift).
   */
  async publish(runs: Map<string, HostRun>, files: MetricsFile[]): Promise<string | undefined> {
    const target = this.inventory.runMetrics;
    if (!target || files.length === 0) return undefined;
    const host = this.inventory.host(target.host);
    const script = publishScript(target.directory, files);
    try {
      const result = this.opened ? await this.feed(script, this.opened) : await this.logInAndRun(host, runs, script);
      if (result.code !== 0)
        return `writing ${target.directory} on ${host.name} exited ${result.code}: ${result.stderr.trim().split("\n").at(-1) ?? ""}`;
      return undefined;
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Ends a root shell still waiting for its script (the run stopped before publishing): it reads end-of-file, exits. */
  end(): void {
    this.giveScript?.("");
    this.giveScript = undefined;
  }

  private feed(script: string, opened: Promise<ExecResult>): Promise<ExecResult> {
    this.giveScript?.(script);
    this.giveScript = undefined;
    return opened;
  }

  private async logInAndRun(host: Host, runs: Map<string, HostRun>, script: string): Promise<ExecResult> {
    const session = runs.get(host.name)?.session;
    const login = session?.login ?? becomeExec(host);
    let transport: Transport | undefined = session?.transport;
    try {
      transport ??= await this.connect(host);
      return await transport.exec(login.command, { stdin: login.stdinPrefix + script, timeoutMs: PUBLISH_TIMEOUT_MS });
    } finally {
      if (!session && transport) await transport.close();
    }
  }
}
