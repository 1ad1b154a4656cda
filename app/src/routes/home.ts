// GET /: the server-rendered home page, with the latest messages read from the replica.
import type { AppContext } from "../app-context.ts";
import { html } from "../http/reply.ts";
import type { Handler } from "../http/router.ts";
import { errorMessage } from "../log.ts";
import { renderHomePage, type MessagesView } from "../views/home-page.ts";

export const HOME_MESSAGE_COUNT = 20;

async function latestMessages(app: AppContext): Promise<MessagesView> {
  if (!app.store) return { kind: "not configured" };
  try {
    return { kind: "listed", messages: await app.store.listMessages(HOME_MESSAGE_COUNT) };
  } catch (error) {
    app.log("messages unavailable", { error: errorMessage(error) });
    return { kind: "unavailable" };
  }
}

export function homePage(app: AppContext): Handler {
  return async () =>
    html(200, renderHomePage({ hostname: app.hostname, version: app.version, messages: await latestMessages(app) }));
}
