// Route table lookup: path pattern + method → handler, or the reason there is none (404, or 405 with Allow).
import type { IncomingMessage } from "node:http";
import type { Reply } from "./reply.ts";

export type Method = "GET" | "POST";
/** `params` are the pattern's capture groups. */
export type Handler = (request: IncomingMessage, params: string[]) => Promise<Reply>;

export interface Route {
  path: RegExp;
  methods: Partial<Record<Method, Handler>>;
}

export type RouteMatch =
  | { kind: "found"; handler: Handler; params: string[] }
  | { kind: "method not allowed"; allow: string[] }
  | { kind: "not found" };

/** Allowed methods for a route; HEAD comes with GET (node sends no body for HEAD). */
function allowedMethods(route: Route): string[] {
  const methods = Object.keys(route.methods);
  return methods.includes("GET") ? [...methods, "HEAD"] : methods;
}

export function matchRoute(routes: readonly Route[], method: string, path: string): RouteMatch {
  for (const route of routes) {
    const match = route.path.exec(path);
    if (!match) continue;
    const wanted = method === "HEAD" ? "GET" : method;
    const handler = Object.hasOwn(route.methods, wanted) ? route.methods[wanted as Method] : undefined;
    if (!handler) return { kind: "method not allowed", allow: allowedMethods(route) };
    return { kind: "found", handler, params: match.slice(1) };
  }
  return { kind: "not found" };
}
