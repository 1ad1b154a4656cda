// The app's HTTP server in-process on 127.0.0.1:0: home page, /health, the messages API, headers and access log.
import { request, type Server } from "node:http";
import { test } from "uvu";
import * as assert from "uvu/assert";
import type { AppContext } from "../../app/src/app-context.ts";
import { MemoryStore } from "../../app/src/db/memory-store.ts";
import { cachedProbe } from "../../app/src/health/cached-probe.ts";
import { closeGracefully } from "../../app/src/http/graceful-close.ts";
import { createAppServer, listen } from "../../app/src/http/server.ts";
import type { LogFields } from "../../app/src/log.ts";

const VERSION = "r-test0000001";
const HOSTNAME = "web-01";

interface Running {
  base: string;
  store: MemoryStore | null;
  logged: Array<{ event: string } & LogFields>;
  server: Server;
}

async function startApp(store: MemoryStore | null, overrides: Partial<AppContext> = {}): Promise<Running> {
  const logged: Running["logged"] = [];
  const app: AppContext = {
    version: VERSION,
    hostname: HOSTNAME,
    store,
    probeDatabase: store ? () => store.probe() : null,
    uptimeSeconds: () => 42,
    log: (event, fields = {}) => logged.push({ event, ...fields }),
    staticFiles: new Map([["style.css", { contentType: "text/css; charset=utf-8", body: Buffer.from("body{}") }]]),
    ...overrides,
  };
  const server = createAppServer(app);
  const port = await listen(server, "127.0.0.1", 0);
  return { base: `http://127.0.0.1:${port}`, store, logged, server };
}

async function withApp(
  store: MemoryStore | null,
  check: (app: Running) => Promise<void>,
  overrides: Partial<AppContext> = {},
): Promise<void> {
  const app = await startApp(store, overrides);
  try {
    await check(app);
  } finally {
    await closeGracefully(app.server, 1000);
  }
}

function post(base: string, body: string, headers: Record<string, string> = {}): Promise<Response> {
  return fetch(`${base}/api/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body,
  });
}

test("home page: site name, hostname, version, assets and escaped messages", () =>
  withApp(new MemoryStore(), async ({ base, store }) => {
    await store?.addMessage({ author: "mallory", text: "<script>alert(1)</script>" });
    const response = await fetch(`${base}/`);
    assert.is(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /^text\/html/);
    assert.is(response.headers.get("x-app-version"), VERSION);
    const page = await response.text();
    assert.match(page, "www.foobar.com");
    assert.match(page, `<strong id="hostname">${HOSTNAME}</strong>`);
    assert.match(page, `<code id="version">${VERSION}</code>`);
    assert.match(page, `href="/static/style.css?v=${VERSION}"`);
    assert.match(page, `src="/static/app.js?v=${VERSION}"`);
    assert.match(page, 'id="message-form"');
    assert.match(page, "&lt;script&gt;alert(1)&lt;/script&gt;");
    assert.not.match(page, "<script>alert(1)");
    assert.equal(store?.calls, [
      { side: "primary", operation: "addMessage" },
      { side: "replica", operation: "listMessages" },
    ]);
  }));

test("home page without a database, and with the replica down, still renders", async () => {
  await withApp(null, async ({ base }) => {
    const response = await fetch(`${base}/`);
    assert.is(response.status, 200);
    assert.match(await response.text(), "No database is configured");
  });
  const store = new MemoryStore();
  store.up.replica = false;
  await withApp(store, async ({ base }) => {
    const response = await fetch(`${base}/`);
    assert.is(response.status, 200);
    assert.match(await response.text(), "Messages are unavailable right now");
  });
});

test("/health without a database: ok, not configured", () =>
  withApp(null, async ({ base }) => {
    const response = await fetch(`${base}/health`);
    assert.is(response.status, 200);
    assert.equal(await response.json(), {
      status: "ok",
      version: VERSION,
      hostname: HOSTNAME,
      uptimeSeconds: 42,
      database: "not configured",
    });
  }));

test("/health with a database: ok, degraded with the replica down, down with both down (still 200: a shared database outage must not empty the LB)", () => {
  const store = new MemoryStore();
  store.replicaLagSeconds = 3;
  return withApp(store, async ({ base }) => {
    let response = await fetch(`${base}/health`);
    assert.is(response.status, 200);
    assert.equal(await response.json(), {
      status: "ok",
      version: VERSION,
      hostname: HOSTNAME,
      uptimeSeconds: 42,
      database: { primary: { reachable: true, ms: 0 }, replica: { reachable: true, ms: 0, lagSeconds: 3 } },
    });

    store.up.replica = false;
    response = await fetch(`${base}/health`);
    assert.is(response.status, 200);
    const degraded = await response.json();
    assert.is(degraded.status, "degraded");
    assert.equal(degraded.database.replica, { reachable: false, ms: 0, lagSeconds: null, error: "replica is down" });

    store.up.primary = false;
    response = await fetch(`${base}/health`);
    assert.is(response.status, 200);
    assert.is((await response.json()).status, "down");

    store.up.replica = true;
    response = await fetch(`${base}/health`);
    assert.is(response.status, 200);
    assert.is((await response.json()).status, "degraded");
  });
});

test("/health shares one probe between concurrent checks", () => {
  const store = new MemoryStore();
  let probes = 0;
  const probeDatabase = cachedProbe(() => {
    probes++;
    return store.probe();
  }, 1000);
  return withApp(
    store,
    async ({ base }) => {
      const responses = await Promise.all(Array.from({ length: 5 }, () => fetch(`${base}/health`)));
      assert.equal(
        responses.map((response) => response.status),
        [200, 200, 200, 200, 200],
      );
      assert.is(probes, 1);
    },
    { probeDatabase },
  );
});

test("POST then GET: the message is written to the primary and read from the replica", () => {
  const store = new MemoryStore(() => new Date("2025-01-02T03:04:05.678Z"));
  return withApp(store, async ({ base }) => {
    const created = await post(base, JSON.stringify({ author: "  alice ", text: "hello, world" }));
    assert.is(created.status, 201);
    const message = await created.json();
    assert.equal(message, { id: 1, author: "alice", text: "hello, world", createdAt: "2025-01-02T03:04:05.678Z" });
    assert.is(created.headers.get("location"), "/api/messages/1");

    const one = await fetch(`${base}/api/messages/1`);
    assert.is(one.status, 200);
    assert.equal(await one.json(), message);

    await post(base, JSON.stringify({ author: "bob", text: "second" }));
    const list = await fetch(`${base}/api/messages`);
    assert.is(list.status, 200);
    assert.equal(
      (await list.json()).messages.map((row: { author: string }) => row.author),
      ["bob", "alice"],
    );
    assert.equal(store.calls, [
      { side: "primary", operation: "addMessage" },
      { side: "replica", operation: "getMessage" },
      { side: "primary", operation: "addMessage" },
      { side: "replica", operation: "listMessages" },
    ]);
  });
});

test("GET /api/messages lists at most the latest 50", () => {
  const store = new MemoryStore();
  return withApp(store, async ({ base }) => {
    for (let index = 1; index <= 55; index++) await store.addMessage({ author: "a", text: `m${index}` });
    const { messages } = await (await fetch(`${base}/api/messages`)).json();
    assert.is(messages.length, 50);
    assert.is(messages[0].text, "m55");
    assert.is(messages[49].text, "m6");
  });
});

test("POST validation: 400 with a message", () =>
  withApp(new MemoryStore(), async ({ base, store }) => {
    const cases: Array<[string, RegExp]> = [
      ["not json", /must be JSON/],
      ["[1,2]", /JSON object/],
      [JSON.stringify({ text: "hi" }), /author must be a string/],
      [JSON.stringify({ author: "   ", text: "hi" }), /author must not be empty/],
      [JSON.stringify({ author: "a", text: "" }), /text must not be empty/],
      [JSON.stringify({ author: "a".repeat(65), text: "hi" }), /author must be at most 64 characters/],
      [JSON.stringify({ author: "a", text: "x".repeat(501) }), /text must be at most 500 characters/],
      [JSON.stringify({ author: "a", text: 42 }), /text must be a string/],
    ];
    for (const [body, expected] of cases) {
      const response = await post(base, body);
      assert.is(response.status, 400, body);
      assert.match((await response.json()).error, expected);
    }
    assert.is(store?.calls.length, 0);
    const atLimits = await post(base, JSON.stringify({ author: "é".repeat(64), text: "😀".repeat(500) }));
    assert.is(atLimits.status, 201, "limits count characters, not UTF-16 units or bytes");
  }));

/** POST a chunked body (no Content-Length), so the limit is enforced while reading. */
function postChunked(base: string, chunks: string[]): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      `${base}/api/messages`,
      { method: "POST", headers: { "Content-Type": "application/json" } },
      (incoming) => {
        let body = "";
        incoming.on("data", (chunk: Buffer) => (body += chunk.toString()));
        incoming.on("end", () => resolve({ status: incoming.statusCode ?? 0, body }));
      },
    );
    outgoing.on("error", reject);
    for (const chunk of chunks) outgoing.write(chunk);
    outgoing.end();
  });
}

test("POST body over 16 KiB: 413, whether announced by Content-Length or streamed", () =>
  withApp(new MemoryStore(), async ({ base, store }) => {
    const response = await post(base, JSON.stringify({ author: "a", text: "x".repeat(17 * 1024) }));
    assert.is(response.status, 413);
    assert.match((await response.json()).error, /larger than 16384 bytes/);
    const streamed = await postChunked(
      base,
      Array.from({ length: 20 }, () => " ".repeat(1024)),
    );
    assert.is(streamed.status, 413);
    assert.match(streamed.body, /larger than 16384 bytes/);
    assert.is(store?.calls.length, 0);
  }));

test("unknown paths 404, unknown ids 404, wrong methods 405 with Allow", () =>
  withApp(new MemoryStore(), async ({ base }) => {
    for (const path of [
      "/nope",
      "/api/messages/abc",
      "/api/messages/1/x",
      "/static/../server.js",
      "/static/missing.css",
    ]) {
      const response = await fetch(`${base}${path}`);
      assert.is(response.status, 404, path);
      assert.type((await response.json()).error, "string");
    }
    const absent = await fetch(`${base}/api/messages/999`);
    assert.is(absent.status, 404);
    assert.equal(await absent.json(), { error: "message 999 not found" });

    const wrong = await fetch(`${base}/api/messages`, { method: "DELETE" });
    assert.is(wrong.status, 405);
    assert.is(wrong.headers.get("allow"), "GET, POST, HEAD");
    const wrongHealth = await fetch(`${base}/health`, { method: "POST" });
    assert.is(wrongHealth.status, 405);
    assert.is(wrongHealth.headers.get("allow"), "GET, HEAD");
  }));

test("without a database the API answers 503 database not configured", () =>
  withApp(null, async ({ base }) => {
    for (const response of [
      await fetch(`${base}/api/messages`),
      await fetch(`${base}/api/messages/1`),
      await post(base, '{"author":"a","text":"b"}'),
    ]) {
      assert.is(response.status, 503);
      assert.equal(await response.json(), { error: "database not configured" });
    }
  }));

test("a database failure is a 503 without details, logged", () => {
  const store = new MemoryStore();
  store.up.primary = false;
  return withApp(store, async ({ base, logged }) => {
    const response = await post(base, '{"author":"a","text":"b"}');
    assert.is(response.status, 503);
    assert.equal(await response.json(), { error: "database unavailable" });
    assert.ok(logged.some((entry) => entry.event === "database error" && entry.error === "primary is down"));
  });
});

test("every response carries X-App-Version; one access-log line per request, no bodies", () =>
  withApp(new MemoryStore(), async ({ base, logged }) => {
    const statuses = [];
    for (const response of [
      await fetch(`${base}/health`),
      await fetch(`${base}/nope?token=abc`),
      await post(base, '{"author":"a","text":"secret words"}'),
    ]) {
      assert.is(response.headers.get("x-app-version"), VERSION);
      statuses.push(response.status);
      await response.arrayBuffer();
    }
    const requests = logged.filter((entry) => entry.event === "request");
    assert.equal(
      requests.map(({ method, path, status }) => ({ method, path, status })),
      [
        { method: "GET", path: "/health", status: 200 },
        { method: "GET", path: "/nope", status: 404 },
        { method: "POST", path: "/api/messages", status: 201 },
      ],
    );
    assert.ok(requests.every((entry) => typeof entry.ms === "number"));
    assert.not.match(JSON.stringify(logged), /secret words|token/);
  }));

test("static files from the loaded map; HEAD answers without a body", () =>
  withApp(null, async ({ base }) => {
    const css = await fetch(`${base}/static/style.css?v=1`);
    assert.is(css.status, 200);
    assert.is(css.headers.get("content-type"), "text/css; charset=utf-8");
    assert.is(await css.text(), "body{}");
    const head = await fetch(`${base}/health`, { method: "HEAD" });
    assert.is(head.status, 200);
    assert.is(await head.text(), "");
  }));

test("graceful close lets an in-flight request finish and answers it with Connection: close", async () => {
  let release: () => void = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  let reached: () => void = () => {};
  const requestInStore = new Promise<void>((resolve) => (reached = resolve));
  const store = new MemoryStore();
  const slowStore = Object.assign(Object.create(store) as MemoryStore, {
    listMessages: async (limit: number) => {
      reached();
      await gate;
      return store.listMessages(limit);
    },
  });
  const app = await startApp(slowStore);
  const inFlight = fetch(`${app.base}/api/messages`);
  await requestInStore;
  const closed = closeGracefully(app.server, 5000);
  release();
  const response = await inFlight;
  assert.is(response.status, 200);
  assert.is(response.headers.get("connection"), "close");
  assert.is(await closed, true);
});

test.run();
