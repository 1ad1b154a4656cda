// The HTTP server (node:http): routing, error replies, common headers and one JSON access-log line per request.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { performance } from "node:perf_hooks";
import type { AppContext } from "../app-context.ts";
import { errorMessage } from "../log.ts";
import { appRoutes } from "../routes/routes.ts";
import { HttpError, json, type Reply } from "./reply.ts";
import { matchRoute, type Route } from "./router.ts";

/** Longer than nginx's upstream keepalive_timeout (60 s), so nginx never reuses a connection the app is closing. */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

const SECURITY_HEADERS = {
  "X-Content-Type-Options": "nosniff",
  "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'",
  "Referrer-Policy": "same-origin",
};

/** The request target without its query string (which may hold anything and is never logged). */
function pathOf(url: string | undefined): string {
  return (url ?? "/").split("?", 1)[0] ?? "/";
}

async function replyTo(
  app: AppContext,
  routes: readonly Route[],
  request: IncomingMessage,
  path: string,
): Promise<Reply> {
  const match = matchRoute(routes, request.method ?? "GET", path);
  try {
    switch (match.kind) {
      case "not found":
        return json(404, { error: `no such path: ${path}` });
      case "method not allowed":
        return json(405, { error: `method ${request.method} not allowed` }, { Allow: match.allow.join(", ") });
      case "found":
        return await match.handler(request, match.params);
    }
  } catch (error) {
    if (error instanceof HttpError) return json(error.status, { error: error.message }, error.headers);
    app.log("request failed", { method: request.method, path, error: errorMessage(error) });
    return json(500, { error: "internal error" });
  }
}

function send(response: ServerResponse, reply: Reply, version: string, closing: boolean): void {
  response.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    ...reply.headers,
    "Content-Type": reply.contentType,
    "Content-Length": Buffer.byteLength(reply.body),
    "X-App-Version": version,
    ...(closing ? { Connection: "close" } : {}),
  });
  response.end(reply.body);
}

/** A server for `app`, not yet listening. While it closes, responses ask clients to close their connection. */
export function createAppServer(app: AppContext): Server {
  const routes = appRoutes(app);
  const server = createServer((request, response) => {
    const started = performance.now();
    const path = pathOf(request.url);
    response.once("finish", () => {
      app.log("request", {
        method: request.method,
        path,
        status: response.statusCode,
        ms: Math.round(performance.now() - started),
      });
    });
    replyTo(app, routes, request, path).then(
      (reply) => send(response, reply, app.version, !server.listening),
      (error: unknown) => {
        app.log("response failed", { error: errorMessage(error) });
        response.destroy();
      },
    );
  });
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 1000;
  return server;
}

/**
 * Listen on the socket systemd passed (`fd`), else on host:port; resolves with the bound port (useful with port 0).
 */
export function listen(server: Server, host: string, port: number, fd?: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    const onListening = () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    };
    if (fd === undefined) server.listen(port, host, onListening);
    else server.listen({ fd }, onListening);
  });
}
