// What the request handlers need from the running process: identity, the store, the cached health probe, the logger.
import type { DatabaseHealth, Store } from "./db/store.ts";
import type { Logger } from "./log.ts";

export interface AppContext {
  version: string;
  hostname: string;
  /** null: running without a database. */
  store: Store | null;
  /** The store's probe behind a short cache (see health/cached-probe.ts); null without a database. */
  probeDatabase: (() => Promise<DatabaseHealth>) | null;
  /** Seconds since the process started. */
  uptimeSeconds: () => number;
  log: Logger;
  /** Static assets by file name, served under /static/ when nginx is not in front (local runs). */
  staticFiles: ReadonlyMap<string, StaticFile>;
}

export interface StaticFile {
  contentType: string;
  body: Buffer;
}
