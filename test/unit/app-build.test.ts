// The app's release build: deterministic bundle from any cwd, and the bundled server.js starts, answers /health, stops on SIGTERM.
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { buildApp, ensureAppBuilt } from "../../app/build.ts";

const workDir = mkdtempSync(join(tmpdir(), "foobar-app-build-"));
const firstBuild = join(workDir, "first");
const secondBuild = join(workDir, "second");

function treeHashes(dir: string, found = new Map<string, string>(), root = dir): Map<string, string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) treeHashes(path, found, root);
    else found.set(relative(root, path), createHash("sha256").update(readFileSync(path)).digest("hex"));
  }
  return found;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function startServer(serverJs: string, env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = "";
  const child = spawn(process.execPath, [serverJs], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs: number): Promise<Response> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      return await fetch(url);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
}

test.after(() => rmSync(workDir, { recursive: true, force: true }));

test("ensureAppBuilt builds a missing release, keeps a fresh one, rebuilds one older than the sources, same bytes as buildApp", async () => {
  const outDir = join(workDir, "ensured");
  assert.is(ensureAppBuilt(outDir), true, "a missing release is built");
  assert.is(ensureAppBuilt(outDir), false, "a release newer than every source is kept");
  utimesSync(join(outDir, "server.js"), 1000, 1000);
  assert.is(ensureAppBuilt(outDir), true, "a release older than the sources is rebuilt");
  const reference = join(workDir, "reference");
  await buildApp(reference);
  assert.equal(treeHashes(outDir), treeHashes(reference));
});

test("the build is one server.js plus public/, byte-identical across builds and working directories", async () => {
  const first = await buildApp(firstBuild);
  const cwd = process.cwd();
  try {
    process.chdir(tmpdir());
    await buildApp(secondBuild);
  } finally {
    process.chdir(cwd);
  }
  const files = treeHashes(firstBuild);
  assert.equal([...files.keys()].sort(), [
    "package.json",
    "public/app.js",
    "public/favicon.svg",
    "public/style.css",
    "server.js",
  ]);
  assert.equal(treeHashes(secondBuild), files);
  assert.is(first.serverBytes, statSync(join(firstBuild, "server.js")).size);
  const bundle = readFileSync(join(firstBuild, "server.js"), "utf8");
  assert.not.match(bundle, cwd, "no absolute paths of the build machine");
  assert.not.match(bundle, "sourceMappingURL");
  assert.match(bundle, "node_modules/mysql2/promise.js", "mysql2 is bundled in");
});

test("the bundled server starts without a database, reports health, exits 0 on SIGTERM", async () => {
  const port = await freePort();
  const { child, output } = startServer(join(firstBuild, "server.js"), {
    LISTEN_PORT: String(port),
    APP_VERSION: "r-buildtest",
  });
  try {
    const response = await waitForHealth(`http://127.0.0.1:${port}/health`, child, 10_000);
    assert.is(response.status, 200);
    assert.is(response.headers.get("x-app-version"), "r-buildtest");
    const health = await response.json();
    assert.is(health.status, "ok");
    assert.is(health.database, "not configured");
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    const [code, signal] = await exited;
    assert.is(signal, null, output());
    assert.is(code, 0, output());
    assert.match(output(), /"event":"stopped"/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

test("the bundled server starts with its database unreachable: health 200 reporting down, migration retried, clean exit", async () => {
  const [port, closedPort] = [await freePort(), await freePort()];
  const { child, output } = startServer(join(firstBuild, "server.js"), {
    LISTEN_PORT: String(port),
    DB_PRIMARY_HOST: "127.0.0.1",
    DB_PORT: String(closedPort),
    DB_USER: "foobar_app",
    DB_PASSWORD: "never-logged-pw",
  });
  try {
    const response = await waitForHealth(`http://127.0.0.1:${port}/health`, child, 10_000);
    assert.is(response.status, 200);
    const health = await response.json();
    assert.is(health.status, "down");
    assert.equal([health.database.primary.reachable, health.database.replica.reachable], [false, false]);
    assert.match(health.database.primary.error, /ECONNREFUSED/);
    await waitFor(() => output().includes('"event":"migrations failed","attempt":1'), 5000);
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    assert.is((await exited)[0], 0, output());
    assert.not.match(output(), /never-logged-pw/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

test("the bundled server exits 78 on bad configuration, naming the variable", async () => {
  const { child, output } = startServer(join(firstBuild, "server.js"), {
    LISTEN_PORT: "http",
    DB_PASSWORD: "do-not-print",
  });
  try {
    const [code] = await once(child, "exit");
    assert.is(code, 78);
    assert.match(output(), /LISTEN_PORT must be a port number/);
    assert.not.match(output(), /do-not-print/);
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
});

test.run();
