// The home page of www.foobar.com: who served it, which version, the latest messages and the message form.
import type { Message } from "../db/store.ts";
import { escapeHtml } from "./escape.ts";

export type MessagesView =
  | { kind: "listed"; messages: Message[] }
  | { kind: "not configured" }
  | { kind: "unavailable" };

export interface HomePageData {
  hostname: string;
  version: string;
  messages: MessagesView;
}

function displayTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

function renderMessage(message: Message): string {
  return `<li><p class="meta"><strong>${escapeHtml(message.author)}</strong> <time datetime="${escapeHtml(message.createdAt)}">${escapeHtml(displayTime(message.createdAt))}</time></p><p>${escapeHtml(message.text)}</p></li>`;
}

function renderMessages(view: MessagesView): string {
  switch (view.kind) {
    case "not configured":
      return `<p class="notice">No database is configured on this server, so there are no messages.</p><ol id="messages"></ol>`;
    case "unavailable":
      return `<p class="notice">Messages are unavailable right now.</p><ol id="messages"></ol>`;
    case "listed":
      return view.messages.length === 0
        ? `<p class="notice" id="no-messages">No messages yet. Be the first!</p><ol id="messages"></ol>`
        : `<ol id="messages">${view.messages.map(renderMessage).join("")}</ol>`;
  }
}

/** Static asset links carry the version so nginx's long-lived, immutable caching is safe across releases. */
export function renderHomePage(data: HomePageData): string {
  const asset = (name: string) => `/static/${name}?v=${encodeURIComponent(data.version)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>www.foobar.com</title>
<link rel="icon" href="${escapeHtml(asset("favicon.svg"))}" type="image/svg+xml">
<link rel="stylesheet" href="${escapeHtml(asset("style.css"))}">
<script src="${escapeHtml(asset("app.js"))}" defer></script>
</head>
<body>
<header>
<h1>www.foobar.com</h1>
<p class="served">Served by <strong id="hostname">${escapeHtml(data.hostname)}</strong> · version <code id="version">${escapeHtml(data.version)}</code></p>
</header>
<main>
<section>
<h2>Leave a message</h2>
<form id="message-form" action="/api/messages" method="post">
<label>Name <input name="author" maxlength="64" required autocomplete="nickname"></label>
<label>Message <textarea name="text" maxlength="500" rows="3" required></textarea></label>
<button type="submit">Post</button>
<p id="form-status" role="status"></p>
</form>
</section>
<section>
<h2>Latest messages</h2>
${renderMessages(data.messages)}
</section>
</main>
</body>
</html>
`;
}
