// The route table of the application.
import type { AppContext } from "../app-context.ts";
import type { Route } from "../http/router.ts";
import { health } from "./health.ts";
import { homePage } from "./home.ts";
import { addMessage, getMessage, listMessages } from "./messages.ts";
import { staticFile } from "./static-files.ts";

export function appRoutes(app: AppContext): Route[] {
  return [
    { path: /^\/$/, methods: { GET: homePage(app) } },
    { path: /^\/health$/, methods: { GET: health(app) } },
    { path: /^\/api\/messages$/, methods: { GET: listMessages(app), POST: addMessage(app) } },
    { path: /^\/api\/messages\/(\d+)$/, methods: { GET: getMessage(app) } },
    { path: /^\/static\/([A-Za-z0-9][A-Za-z0-9._-]*)$/, methods: { GET: staticFile(app) } },
  ];
}
