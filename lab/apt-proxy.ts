// The lab's restricted apt proxy: GET/HEAD to the Debian mirror and the suites the lab's images install from only, 403
// for anything else; caches .deb and by-hash files.
import { createReadStream, createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from "node:fs";
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { dirname, join, normalize } from "node:path";
import { randomBytes } from "node:crypto";

export interface AptProxyOptions {
  /** What requests may reach. */
  allowed: AptProxyAllowed;
  /** Directory of cached package files; survives restarts. */
  cacheDir: string;
  log?: (line: string) => void;
}

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);
/** Immutable files: safe to keep forever under their URL. Index files (Release, Packages) always go upstream. */
const CACHEABLE = /(\/pool\/.+\.(deb|udeb|dsc|tar\.\w+)$)|(\/by-hash\/[A-Za-z0-9]+\/[0-9a-f]{32,}$)/;

export interface AptProxyAllowed {
  /** Host names requests may go to, e.g. ["deb.debian.org"]. */
  hosts: string[];
  /** Suites whose index files (dists/SUITE/…) may be fetched, e.g. ["trixie", "trixie-updates", "trixie-security"]. */
  suites: readonly string[];
}

/** A path segment decoded, or as it is when its %-escapes are malformed (a refusal, never a throw in the proxy). */
function decodedOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Why a request is refused, or undefined when it may pass. */
export function refusal(
  method: string | undefined,
  url: URL | undefined,
  allowed: AptProxyAllowed,
): string | undefined {
  if (method !== "GET" && method !== "HEAD") return `method ${method} not allowed`;
  if (!url) return "not an absolute http:// URL";
  if (url.protocol !== "http:") return `scheme ${url.protocol} not allowed`;
  if (url.port !== "" && url.port !== "80") return `port ${url.port} not allowed`;
  if (!allowed.hosts.includes(url.hostname)) return `destination ${url.hostname} is not the Debian mirror`;
  const suite = /\/dists\/([^/]+)/.exec(url.pathname)?.[1];
  if (suite !== undefined && !allowed.suites.includes(decodedOrRaw(suite)))
    return `suite ${suite} is not one the lab's images install from (${allowed.suites.join(", ")})`;
  return undefined;
}

function parseTarget(raw: string | undefined): URL | undefined {
  try {
    return raw && /^http:\/\//i.test(raw) ? new URL(raw) : undefined;
  } catch {
    return undefined;
  }
}

function cachePath(cacheDir: string, url: URL): string | undefined {
  if (!CACHEABLE.test(url.pathname) || url.search) return undefined;
  const path = normalize(join(cacheDir, url.hostname, decodeURIComponent(url.pathname)));
  return path.startsWith(join(cacheDir, url.hostname) + "/") ? path : undefined;
}

function forwardHeaders(headers: IncomingMessage["headers"]): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers))
    if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
  return out;
}

function serveCached(path: string, method: string, response: ServerResponse): void {
  response.writeHead(200, {
    "content-length": statSync(path).size,
    "content-type": "application/octet-stream",
    "x-lab-cache": "hit",
  });
  if (method === "HEAD") response.end();
  else createReadStream(path).pipe(response);
}

/** Fetch from the mirror and stream to the client; a complete 200 of a cacheable file is also stored. */
function forward(
  url: URL,
  client: IncomingMessage,
  response: ServerResponse,
  agent: Agent,
  cacheFile: string | undefined,
  log: (line: string) => void,
): void {
  const headers = forwardHeaders(client.headers);
  if (cacheFile) delete headers.range;
  const upstream = request(
    { host: url.hostname, port: 80, path: url.pathname + url.search, method: client.method, headers, agent },
    (reply) => {
      response.writeHead(reply.statusCode ?? 502, forwardHeaders(reply.headers));
      const store = cacheFile && reply.statusCode === 200 && client.method === "GET";
      if (!store) {
        reply.pipe(response);
        return;
      }
      mkdirSync(dirname(cacheFile), { recursive: true });
      const partial = `${cacheFile}.${randomBytes(4).toString("hex")}.part`;
      const file = createWriteStream(partial).on("error", (error) =>
        log(`cache write failed ${partial}: ${error.message}`),
      );
      reply.pipe(response);
      reply.pipe(file);
      reply.on("aborted", () => rmSync(partial, { force: true }));
      file.on("finish", () => {
        if (reply.complete) renameSync(partial, cacheFile);
        else rmSync(partial, { force: true });
      });
    },
  );
  upstream.on("error", (error) => {
    log(`upstream error ${url.href}: ${error.message}`);
    if (!response.headersSent) response.writeHead(502, { "content-type": "text/plain" });
    response.end(`lab apt proxy: upstream error: ${error.message}\n`);
  });
  upstream.end();
}

/** Create (not start) the proxy server. */
export function createAptProxy(options: AptProxyOptions): Server {
  const log = options.log ?? (() => undefined);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const server = createServer((client, response) => {
    client.on("error", () => undefined);
    response.on("error", () => undefined);
    const url = parseTarget(client.url);
    const refused = refusal(client.method, url, options.allowed);
    if (refused || !url) {
      log(`403 ${client.method} ${client.url}: ${refused}`);
      response.writeHead(403, { "content-type": "text/plain" }).end(`lab apt proxy: ${refused}\n`);
      return;
    }
    const cacheFile = cachePath(options.cacheDir, url);
    if (cacheFile && existsSync(cacheFile)) {
      log(`hit ${url.href}`);
      serveCached(cacheFile, client.method ?? "GET", response);
      return;
    }
    log(`${cacheFile ? "miss" : "pass"} ${client.method} ${url.href}`);
    forward(url, client, response, agent, cacheFile, log);
  });
  server.on("connect", (request, socket) => {
    socket.on("error", () => undefined); // the client may hang up first
    log(`403 CONNECT ${request.url}`);
    socket.end("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\n\r\nlab apt proxy: CONNECT not allowed\n");
  });
  server.on("clientError", (_error, socket) => socket.destroy());
  server.on("close", () => agent.destroy());
  return server;
}
