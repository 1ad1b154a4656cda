// The SSH transport against in-process ssh2 servers (support/ssh-host.ts): execs, timeouts, strict host keys, auth and error mapping.
import { createHmac, randomBytes } from "node:crypto";
import { chmodSync, chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { connectSsh, probeSsh, type SshOptions } from "../../lib/connection/ssh.ts";
import { fingerprint } from "../../lib/connection/known-hosts.ts";
import { UnreachableError } from "../../lib/connection/transport.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { hostAccount, keyPair, startSshHost, type KeyPair, type SshHost } from "./support/ssh-host.ts";

const dir = mkdtempSync(join(tmpdir(), "ssh-transport-"));
chmodSync(dir, 0o711);

const clientKey = keyPair();
const strangerKey = keyPair();
const hostKeyEd25519 = keyPair();
const hostKeyEcdsa = keyPair("ecdsa");
const otherHostKey = keyPair();
const account = hostAccount();
/** The commands' working directory: the account they run as may write it (it is `nobody` when the test is root). */
const home = join(dir, "home");
mkdirSync(home);
if (account.switched) chownSync(home, account.uid, account.gid);

function writeFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o600 });
  return file;
}
const clientKeyFile = writeFile("id_client", clientKey.private);
const strangerKeyFile = writeFile("id_stranger", strangerKey.private);

const startServer = (hostKeys: KeyPair[]) => startSshHost({ clientKey, account, home, hostKeys });

function hostOn(port: number, key: string | null = clientKeyFile): Host {
  return {
    name: "web-01",
    address: "127.0.0.1",
    privateAddress: "127.0.0.1",
    ssh: { user: account.name, port, key: key ?? undefined, connectTimeoutMs: 5000 },
    become: false,
    groups: [],
    vars: {},
  };
}

function knownHosts(name: string, lines: string[]): string {
  return writeFile(name, lines.map((line) => `${line}\n`).join(""));
}

function entry(hostName: string, key: KeyPair): string {
  return `${hostName} ${key.parsed.type} ${key.blob.toString("base64")}`;
}

function optionsWith(knownHostsFiles: string[], extra: Partial<SshOptions> = {}): SshOptions {
  return {
    knownHostsFiles,
    pinFile: join(dir, `pin-${randomBytes(4).toString("hex")}`, "known_hosts"),
    acceptNewHostKeys: false,
    ...extra,
  };
}

async function connectError(host: Host, options: SshOptions): Promise<UnreachableError> {
  try {
    const transport = await connectSsh(host, options);
    await transport.close();
  } catch (error) {
    assert.instance(error, UnreachableError);
    return error as UnreachableError;
  }
  throw new assert.Assertion({
    message: "connectSsh should have failed",
    generated: false,
    operator: "throws",
    expects: "error",
    actual: "connected",
  });
}

async function freePort(): Promise<number> {
  const listener = createServer();
  await new Promise<void>((resolveListening) => listener.listen(0, "127.0.0.1", () => resolveListening()));
  const port = (listener.address() as AddressInfo).port;
  await new Promise((resolveClosed) => listener.close(resolveClosed));
  return port;
}

let main: SshHost;
let rebuilt: SshHost;
let twoKeys: SshHost;
let trusted: SshOptions;

test.before(async () => {
  main = await startServer([hostKeyEd25519]);
  rebuilt = await startServer([otherHostKey]);
  twoKeys = await startServer([hostKeyEd25519, hostKeyEcdsa]);
  trusted = optionsWith([knownHosts("trusted", [entry(`[127.0.0.1]:${main.port}`, hostKeyEd25519)])]);
});

test.after(async () => {
  await Promise.all([main.close(), rebuilt.close(), twoKeys.close()]);
  rmSync(dir, { recursive: true, force: true });
});

test("exec round trip: stdin in, stdout and stderr out, non-zero exit code", async () => {
  const transport = await connectSsh(hostOn(main.port), trusted);
  try {
    assert.is(transport.host, "web-01");
    const script = await transport.exec("sh -s", { stdin: 'echo "hello $(printf world)"\necho oops >&2\nexit 3\n' });
    assert.equal(script, { stdout: "hello world\n", stderr: "oops\n", code: 3 });
    const cat = await transport.exec("cat", { stdin: "ünïcödé ✓\n" });
    assert.equal(cat, { stdout: "ünïcödé ✓\n", stderr: "", code: 0 });
  } finally {
    await transport.close();
  }
});

test("several execs run concurrently on one connection: each sees all four started before it ends", async () => {
  const transport = await connectSsh(hostOn(main.port), trusted);
  const started = mkdtempSync(join(home, "started-"));
  if (account.switched) chownSync(started, account.uid, account.gid);
  // Each exec marks itself started, then waits (up to 10 s) for the others' marks: run one at a time, the first
  // would see only its own.
  const rendezvous = (index: number) =>
    `touch ${started}/${index}; n=0; while [ "$(ls ${started} | wc -l)" -lt 4 ] && [ $n -lt 1000 ]; do sleep 0.01; n=$((n+1)); done; ls ${started} | wc -l; exit ${index}`;
  try {
    const results = await Promise.all([1, 2, 3, 4].map((index) => transport.exec(rendezvous(index))));
    assert.equal(
      results.map((result) => [result.stdout.trim(), result.code]),
      [
        ["4", 1],
        ["4", 2],
        ["4", 3],
        ["4", 4],
      ],
    );
  } finally {
    await transport.close();
  }
});

test("a timed-out exec resolves with code null and the connection stays usable", async () => {
  // 1 s: long enough for the shell to start and print under a loaded machine (300 ms lost "before" at load 25).
  const transport = await connectSsh(hostOn(main.port), { ...trusted, commandTimeoutMs: 1000 });
  try {
    const slow = await transport.exec("echo before; sleep 30");
    assert.is(slow.code, null, "the timeout ended it (the sleep would have exited 0)");
    assert.is(slow.stdout, "before\n");
    await main.idle(); // the timed-out command was stopped on the server: otherwise this waits out its 30 s
    const explicit = await transport.exec("sleep 30", { timeoutMs: 100 });
    assert.is(explicit.code, null);
    const after = await transport.exec("echo still here", { timeoutMs: 5000 });
    assert.equal(after, { stdout: "still here\n", stderr: "", code: 0 });
  } finally {
    await transport.close();
  }
});

test("a dropped connection rejects pending execs and later ones", async () => {
  const transport = await connectSsh(hostOn(main.port), trusted);
  const pending = transport.exec("sleep 30");
  await main.started(main.commands.length + 1);
  main.dropConnections();
  const error = await pending.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  assert.instance(error, UnreachableError);
  assert.match((error as UnreachableError).message, /^web-01: connection to 127\.0\.0\.1:\d+ lost/);
  const later = await transport.exec("true").then(
    () => undefined,
    (reason: unknown) => reason,
  );
  assert.instance(later, UnreachableError);
  await transport.close();
});

test("an unknown host key is refused without --accept-new-host-keys", async () => {
  const options = optionsWith([knownHosts("empty", [])]);
  const error = await connectError(hostOn(main.port), options);
  assert.is(error.reason, "hostkey");
  assert.ok(error.message.includes(fingerprint(hostKeyEd25519.blob)), error.message);
  assert.ok(error.message.includes("--accept-new-host-keys"), error.message);
  assert.throws(() => readFileSync(options.pinFile), /ENOENT/, "nothing pinned");
});

test("--accept-new-host-keys pins the key, and the next connect trusts it without the flag", async () => {
  const options = optionsWith([knownHosts("empty-too", [])]);
  const first = await connectSsh(hostOn(main.port), { ...options, acceptNewHostKeys: true });
  await first.close();
  assert.is(readFileSync(options.pinFile, "utf8"), `${entry(`[127.0.0.1]:${main.port}`, hostKeyEd25519)}\n`);
  assert.is(statSync(options.pinFile).mode & 0o777, 0o600);
  const second = await connectSsh(hostOn(main.port), {
    ...options,
    knownHostsFiles: [...options.knownHostsFiles, options.pinFile],
  });
  assert.is((await second.exec("echo pinned")).stdout, "pinned\n");
  await second.close();
});

test("a changed host key is refused even with --accept-new-host-keys", async () => {
  const file = knownHosts("changed", ["# header", entry(`[127.0.0.1]:${rebuilt.port}`, hostKeyEd25519)]);
  const options = optionsWith([file], { acceptNewHostKeys: true });
  const error = await connectError(hostOn(rebuilt.port), options);
  assert.is(error.reason, "hostkey");
  assert.ok(error.message.includes(`ssh-ed25519 key ${fingerprint(otherHostKey.blob)}`), error.message);
  assert.ok(error.message.includes(`${file}:2`), error.message);
  assert.ok(error.message.includes("127.0.0.1"), error.message);
  assert.match(error.message, /remove that line/);
  assert.throws(() => readFileSync(options.pinFile), /ENOENT/, "nothing pinned");
});

test("a revoked host key is refused even when it is also listed as known", async () => {
  const hostName = `[127.0.0.1]:${main.port}`;
  const file = knownHosts("revoked", [entry(hostName, hostKeyEd25519), `@revoked ${entry("*", hostKeyEd25519)}`]);
  const error = await connectError(hostOn(main.port), optionsWith([file], { acceptNewHostKeys: true }));
  assert.is(error.reason, "hostkey");
  assert.match(error.message, /@revoked/);
});

test("a known key of one type is negotiated even when the server prefers another", async () => {
  const file = knownHosts("ecdsa-only", [entry(`[127.0.0.1]:${twoKeys.port}`, hostKeyEcdsa)]);
  const transport = await connectSsh(hostOn(twoKeys.port), optionsWith([file]));
  assert.is((await transport.exec("echo ok")).stdout, "ok\n");
  await transport.close();
});

test("hashed entries for [127.0.0.1]:PORT are trusted", async () => {
  const salt = randomBytes(20);
  const hash = createHmac("sha1", salt).update(`[127.0.0.1]:${main.port}`).digest("base64");
  const file = knownHosts("hashed", [entry(`|1|${salt.toString("base64")}|${hash}`, hostKeyEd25519)]);
  const transport = await connectSsh(hostOn(main.port), optionsWith([file]));
  assert.is((await transport.exec("echo hashed")).stdout, "hashed\n");
  await transport.close();
});

test("a client key the server does not accept fails with reason auth", async () => {
  const error = await connectError(hostOn(main.port, strangerKeyFile), trusted);
  assert.is(error.reason, "auth");
  assert.match(error.message, new RegExp(`^web-01: authentication as ${account.name} on 127\\.0\\.0\\.1:\\d+ failed`));
});

test("a missing key file fails with reason auth and names the file", async () => {
  const error = await connectError(hostOn(main.port, "no/such/key"), { ...trusted, repoRoot: dir });
  assert.is(error.reason, "auth");
  assert.ok(error.message.includes(join(dir, "no/such/key")), error.message);
});

test("no key and no agent fails with reason auth and says what to set", async () => {
  const saved = process.env.SSH_AUTH_SOCK;
  delete process.env.SSH_AUTH_SOCK;
  try {
    const error = await connectError(hostOn(main.port, null), trusted);
    assert.is(error.reason, "auth");
    assert.match(error.message, /ssh\.key in hosts\.ts/);
  } finally {
    if (saved !== undefined) process.env.SSH_AUTH_SOCK = saved;
  }
});

test("a closed port fails with reason refused", async () => {
  const port = await freePort();
  const error = await connectError(hostOn(port), trusted);
  assert.is(error.reason, "refused");
  assert.is(error.message, `web-01: connection refused by 127.0.0.1:${port}`);
});

test("probeSsh reports ok with a duration, or the connection error", async () => {
  const ok = await probeSsh(hostOn(main.port), trusted);
  assert.ok(ok.ok);
  if (ok.ok) assert.ok(Number.isFinite(ok.ms) && ok.ms >= 0, "a duration in ms");
  const closed = await probeSsh(hostOn(await freePort()), trusted);
  assert.not.ok(closed.ok);
  if (!closed.ok) assert.is(closed.error.reason, "refused");
});

test.run();
