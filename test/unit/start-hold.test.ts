// The start hold through the real /bin/sh: the policy it writes during an install denies `start` of arriving units only,
// allows everything once its shell is gone, is removed afterwards (also on failure), and leaves a foreign policy alone.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { startHoldScript, type HoldPaths } from "../../lib/resources/start-hold.ts";
import { quote } from "../../lib/shell.ts";
import { scratchDir } from "./support/scratch.ts";

function paths(): HoldPaths {
  const root = scratchDir("start-hold-");
  const unitDir = join(root, "units");
  mkdirSync(unitDir);
  writeFileSync(join(unitDir, "ssh.service"), "");
  return { policy: join(root, "policy-rc.d"), unitDirs: [unitDir, join(root, "absent")] };
}

/** Run the hold, then `during` (the install's place) in the same subshell, as a step runs; stdout of both. */
async function withHold(
  held: string[],
  at: HoldPaths,
  during: string,
): Promise<{ code: number | null; stdout: string }> {
  const transport = localTransport();
  try {
    return await transport.exec("sh -s", {
      stdin: `(\nset -e\n${startHoldScript(held, at)}\n${during}\n)\necho "exit $?"\n`,
      timeoutMs: 10_000,
    });
  } finally {
    await transport.close();
  }
}

/** Ask the policy as invoke-rc.d does and print its answer (the step runs under set -e). */
const ask = (policy: string, ...args: string[]) =>
  `st=0; ${quote(policy)} ${args.map((arg) => quote(arg)).join(" ")} || st=$?; echo "$st ${args.join(" ")}"`;

test("arriving units' start is denied during the install; other actions, other units and units already there are allowed", async () => {
  const at = paths();
  const result = await withHold(
    ["nginx", "certbot.timer", "ssh"],
    at,
    [
      ask(at.policy, "nginx.service", "start"),
      ask(at.policy, "--quiet", "nginx", "start"),
      ask(at.policy, "certbot.timer", "start"),
      ask(at.policy, "nginx.service", "restart"),
      ask(at.policy, "mariadb.service", "start"),
      ask(at.policy, "ssh.service", "start"),
    ].join("\n"),
  );
  assert.equal(result.stdout.trim().split("\n"), [
    "101 nginx.service start",
    "101 --quiet nginx start",
    "101 certbot.timer start",
    "0 nginx.service restart",
    "0 mariadb.service start",
    "0 ssh.service start",
    "exit 0",
  ]);
  assert.not.ok(existsSync(at.policy), "the policy is removed after the install");
});

test("a failing install removes the policy too; nothing to hold writes none", async () => {
  const at = paths();
  assert.match((await withHold(["nginx"], at, "test -e " + quote(at.policy) + " && false")).stdout, /exit 1/);
  assert.not.ok(existsSync(at.policy));
  assert.match((await withHold(["ssh"], at, "test ! -e " + quote(at.policy))).stdout, /exit 0/);
  assert.is(startHoldScript([]), "");
});

test("a policy left by a killed run allows every start; the administrator's own policy is kept and governs", async () => {
  const at = paths();
  await withHold(["nginx"], at, `cp ${quote(at.policy)} ${quote(at.policy)}.left`);
  assert.match(
    (await withHold([], at, ask(`${at.policy}.left`, "nginx.service", "start"))).stdout,
    /^0 nginx.service start/m,
  );
  writeFileSync(at.policy, "#!/bin/sh\nexit 101\n", { mode: 0o755 });
  const result = await withHold(["nginx"], at, ask(at.policy, "mariadb.service", "start"));
  assert.match(result.stdout, /^101 mariadb.service start/m);
  assert.is(readFileSync(at.policy, "utf8"), "#!/bin/sh\nexit 101\n");
});

test.run();
