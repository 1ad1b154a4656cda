// Entry point of the www.foobar.com application server (bundled to dist/server.js): config, database, HTTP, shutdown.
import { hostname } from "node:os";
import { join } from "node:path";
import type { AppContext } from "./app-context.ts";
import { ConfigError, describeConfig, EXIT_BAD_CONFIG, loadConfig, type AppConfig } from "./config.ts";
import { migrateInBackground, type BackgroundMigration } from "./db/migrate-in-background.ts";
import { applyMigrations } from "./db/migrate.ts";
import { migrations } from "./db/migrations.ts";
import { MysqlStore } from "./db/mysql-store.ts";
import { withTimeout } from "./db/timeout.ts";
import { cachedProbe } from "./health/cached-probe.ts";
import { closeGracefully } from "./http/graceful-close.ts";
import { createAppServer, listen } from "./http/server.ts";
import { systemdListenFd } from "./http/systemd-socket.ts";
import { errorMessage, stdoutLogger as log } from "./log.ts";
import { loadStaticFiles } from "./routes/static-files.ts";

const SHUTDOWN_GRACE_MS = 10_000;
const POOL_CLOSE_TIMEOUT_MS = 3000;
const HEALTH_PROBE_CACHE_MS = 1000;

function readConfig(): AppConfig {
  try {
    return loadConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`foobar-app: bad configuration: ${error.message}\n`);
    process.exit(EXIT_BAD_CONFIG);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const store = config.database ? new MysqlStore(config.database) : null;
  const migration: BackgroundMigration | null = store
    ? migrateInBackground(() => store.withPrimarySession((session) => applyMigrations(session, migrations)), log)
    : null;
  const app: AppContext = {
    version: config.version,
    hostname: hostname(),
    store,
    probeDatabase: store ? cachedProbe(() => store.probe(), HEALTH_PROBE_CACHE_MS) : null,
    uptimeSeconds: () => Math.floor(process.uptime()),
    log,
    // In the bundle, __dirname is the release directory holding server.js and public/.
    staticFiles: loadStaticFiles(join(__dirname, "public")),
  };
  const server = createAppServer(app);
  const socketFd = systemdListenFd(process.env, process.pid);
  const port = await listen(server, config.listenHost, config.listenPort, socketFd);
  log("started", {
    ...describeConfig(config),
    listen: `${config.listenHost}:${port}${socketFd === undefined ? "" : ` (systemd's socket, fd ${socketFd})`}`,
    hostname: app.hostname,
    node: process.version,
  });

  let stopping = false;
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log("stopping", { signal });
    migration?.stop();
    const finished = await closeGracefully(server, SHUTDOWN_GRACE_MS);
    if (store) {
      await withTimeout(store.close(), POOL_CLOSE_TIMEOUT_MS, "closing the database pools").catch((error: unknown) =>
        log("database close failed", { error: errorMessage(error) }),
      );
    }
    log("stopped", { requestsFinished: finished });
    process.exit(0);
  };
  process.on("SIGTERM", (signal) => void stop(signal));
  process.on("SIGINT", (signal) => void stop(signal));
}

main().catch((error: unknown) => {
  process.stderr.write(`foobar-app: ${errorMessage(error)}\n`);
  process.exit(1);
});
