// The OpenSSH transport (--persist): the ssh arguments it builds, its private socket directory, results and login errors, with a fake `ssh` on PATH.
import { chmodSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { parseCli } from "../../lib/cli/args.ts";
import { connectOpenSsh } from "../../lib/connection/openssh.ts";
import { UnreachableError } from "../../lib/connection/transport.ts";
import { InputError } from "../../lib/errors.ts";
import type { Host } from "../../lib/inventory/types.ts";
import { scratchDir } from "./support/scratch.ts";

const scratch = scratchDir("openssh-test-");
const bin = join(scratch, "bin");
mkdirSync(bin);
// The fake ssh records its arguments, then runs the remote command here with sh (as sshd would with the login shell), or
// fails a login as OpenSSH does.
writeFileSync(
  join(bin, "ssh"),
  `#!/bin/sh
printf '%s\\n' "$@" > "${scratch}/args"
env > "${scratch}/env"
case "$(cat "${scratch}/fail" 2>/dev/null)" in
  hostkey) echo "Host key verification failed." >&2; exit 255 ;;
  denied) echo "root@10.0.0.5: Permission denied (publickey)." >&2; exit 255 ;;
esac
for last; do :; done
exec sh -c "$last"
`,
);
chmodSync(join(bin, "ssh"), 0o755);
process.env.PATH = `${bin}:${process.env.PATH}`;

const host = {
  name: "web-01",
  address: "10.0.0.5",
  ssh: { user: "admin", port: 2222, key: "keys/id", connectTimeoutMs: 7000 },
} as unknown as Host;
const options = {
  knownHostsFiles: ["/etc/kh", "/repo/known_hosts"],
  pinFile: "/repo/known_hosts",
  acceptNewHostKeys: false,
  repoRoot: "/repo",
  persistSeconds: 60,
  controlDir: join(scratch, "cm"),
};

test("an exec is one ssh over the host's control socket, strict host keys, the command and then the script on stdin", async () => {
  const transport = await connectOpenSsh(host, options);
  const result = await transport.exec("sh -s", { stdin: "echo out; echo err >&2; exit 3\n" });
  assert.equal(
    result,
    { stdout: "out\n", stderr: "err\n", code: 3 },
    "the client started at connect ran the command given at exec on the script",
  );
  const second = await transport.exec("sh -s", { stdin: "echo again" });
  assert.equal(second, { stdout: "again\n", stderr: "", code: 0 }, "a later exec starts its own client");
  const args = readFileSync(join(scratch, "args"), "utf8").trim().split("\n");
  const option = (name: string) => args.find((arg) => arg.startsWith(`${name}=`));
  assert.is(option("ControlPath"), `ControlPath=${join(scratch, "cm", "%C")}`);
  assert.is(option("ControlMaster"), "ControlMaster=auto");
  assert.is(option("ControlPersist"), "ControlPersist=60");
  assert.is(option("StrictHostKeyChecking"), "StrictHostKeyChecking=yes");
  assert.is(
    option("UserKnownHostsFile"),
    'UserKnownHostsFile="/repo/known_hosts" "/etc/kh"',
    "the pin file first (OpenSSH pins there), once",
  );
  assert.is(option("BatchMode"), "BatchMode=yes");
  assert.ok(args.includes("/repo/keys/id") && args.includes("IdentitiesOnly=yes"), "the inventory's key, and only it");
  assert.equal(args.slice(-3), ["10.0.0.5", "--", "sh -s"]);
  assert.ok(args.includes("2222") && args.includes("admin"), "port and user");
  assert.is(statSync(join(scratch, "cm")).mode & 0o777, 0o700, "the socket directory is private");
});

test("ssh reads no user config and forwards nothing; it and its master get no secret from the environment", async () => {
  process.env.FOOBAR_AGE_IDENTITY = "AGE-SECRET-KEY-TEST";
  process.env.FOOBAR_SECRET_DB_APP = "test-secret-value";
  try {
    await (await connectOpenSsh(host, options)).exec("true");
  } finally {
    delete process.env.FOOBAR_AGE_IDENTITY;
    delete process.env.FOOBAR_SECRET_DB_APP;
  }
  const args = readFileSync(join(scratch, "args"), "utf8").trim().split("\n");
  assert.equal(args.slice(0, 2), ["-F", "none"], "no ~/.ssh/config, no /etc/ssh/ssh_config");
  for (const option of ["ForwardAgent=no", "ForwardX11=no", "ClearAllForwardings=yes", "PermitLocalCommand=no"])
    assert.ok(args.includes(option), option);
  const environment = readFileSync(join(scratch, "env"), "utf8");
  assert.not.match(environment, /FOOBAR_/, "no FOOBAR_AGE_IDENTITY or FOOBAR_SECRET_* reaches ssh");
  assert.match(environment, /^PATH=/m, "it still finds its programs");
});

test("--accept-new-host-keys maps to accept-new; a group-readable socket directory is made private again", async () => {
  chmodSync(join(scratch, "cm"), 0o755);
  const transport = await connectOpenSsh(host, { ...options, acceptNewHostKeys: true });
  await transport.exec("true");
  assert.ok(readFileSync(join(scratch, "args"), "utf8").includes("StrictHostKeyChecking=accept-new"));
  assert.is(statSync(join(scratch, "cm")).mode & 0o777, 0o700);
});

test("a refused host key or login is UnreachableError with its reason, not a failed command", async () => {
  for (const [mode, reason, text] of [
    ["hostkey", "hostkey", /host key of 10\.0\.0\.5:2222 refused/],
    ["denied", "auth", /authentication as admin on 10\.0\.0\.5:2222 failed/],
  ] as const) {
    writeFileSync(join(scratch, "fail"), mode); // a file: ssh gets none of this process's environment but PATH and HOME
    const transport = await connectOpenSsh(host, options);
    const error = await transport.exec("true").catch((caught: unknown) => caught);
    assert.instance(error, UnreachableError);
    assert.is((error as UnreachableError).reason, reason);
    assert.match((error as Error).message, text);
  }
  rmSync(join(scratch, "fail"));
});

test("--persist: whole seconds, 0 (off) by default, FOOBAR_SSH_PERSIST as the default", () => {
  assert.is(parseCli([]).persistSeconds, 0);
  assert.is(parseCli(["--persist", "120"]).persistSeconds, 120);
  assert.throws(
    () => parseCli(["--persist", "soon"]),
    (error: unknown) => error instanceof InputError && /--persist must be whole seconds/.test(error.message),
  );
  process.env.FOOBAR_SSH_PERSIST = "30";
  try {
    assert.is(parseCli([]).persistSeconds, 30);
  } finally {
    delete process.env.FOOBAR_SSH_PERSIST;
  }
});

test.run();
