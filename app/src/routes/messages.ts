// The messages JSON API: reads from the replica, writes to the primary, 503 without a database.
import type { AppContext } from "../app-context.ts";
import type { Store } from "../db/store.ts";
import { readJsonBody } from "../http/json-body.ts";
import { HttpError, json, type Reply } from "../http/reply.ts";
import type { Handler } from "../http/router.ts";
import { errorMessage } from "../log.ts";
import { validateMessage } from "../messages/validate-message.ts";

export const LIST_LIMIT = 50;

/** Run `work` against the store; no store → 503, store failure → 503 (logged, details not exposed). */
async function withStore(app: AppContext, work: (store: Store) => Promise<Reply>): Promise<Reply> {
  const { store } = app;
  if (!store) throw new HttpError(503, "database not configured");
  try {
    return await work(store);
  } catch (error) {
    if (error instanceof HttpError) throw error;
    app.log("database error", { error: errorMessage(error) });
    throw new HttpError(503, "database unavailable");
  }
}

export function listMessages(app: AppContext): Handler {
  return () => withStore(app, async (store) => json(200, { messages: await store.listMessages(LIST_LIMIT) }));
}

/** Route pattern guarantees digits; ids beyond the safe integer range cannot exist. */
export function getMessage(app: AppContext): Handler {
  return (_request, [id = ""]) =>
    withStore(app, async (store) => {
      const messageId = Number(id);
      const message = Number.isSafeInteger(messageId) ? await store.getMessage(messageId) : null;
      if (!message) throw new HttpError(404, `message ${id} not found`);
      return json(200, message);
    });
}

export function addMessage(app: AppContext): Handler {
  return (request) =>
    withStore(app, async (store) => {
      const validation = validateMessage(await readJsonBody(request));
      if (!validation.ok) throw new HttpError(400, validation.error);
      const message = await store.addMessage(validation.message);
      return json(201, message, { Location: `/api/messages/${message.id}` });
    });
}
