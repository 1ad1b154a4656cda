// Where the CLI keeps things: the repository root (the checkout holding package.json), the run history (.runs/ there
// unless FOOBAR_RUN_HISTORY_DIR, read when asked), persistent logins' sockets (the runtime directory, else ~/.cache).
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { controlDir, REPO_ROOT } from "../../lib/cli/connector.ts";
import { historyDir } from "../../lib/cli/history.ts";

/** Run `body` with these environment variables set (undefined: unset), then put them back. */
function withEnv(values: Record<string, string | undefined>, body: () => void): void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (from: Record<string, string | undefined>) => {
    for (const [name, value] of Object.entries(from))
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
  };
  apply(values);
  try {
    body();
  } finally {
    apply(saved);
  }
}

test("the repository root is the checkout this module is in", () => {
  assert.is(REPO_ROOT, join(import.meta.dirname, "../.."));
  assert.ok(existsSync(join(REPO_ROOT, "package.json")));
});

test("the run history: FOOBAR_RUN_HISTORY_DIR when set and not empty, else .runs/ in the checkout", () => {
  withEnv({ FOOBAR_RUN_HISTORY_DIR: "/tmp/elsewhere" }, () => assert.is(historyDir(), "/tmp/elsewhere"));
  withEnv({ FOOBAR_RUN_HISTORY_DIR: "" }, () => assert.is(historyDir(), join(REPO_ROOT, ".runs")));
  withEnv({ FOOBAR_RUN_HISTORY_DIR: undefined }, () => assert.is(historyDir(), join(REPO_ROOT, ".runs")));
});

test("control sockets: under XDG_RUNTIME_DIR when set and not empty, else under ~/.cache", () => {
  withEnv({ XDG_RUNTIME_DIR: "/run/user/1000" }, () => assert.is(controlDir(), "/run/user/1000/foobar-infra/ssh"));
  withEnv({ XDG_RUNTIME_DIR: "" }, () => assert.is(controlDir(), join(homedir(), ".cache", "foobar-infra", "ssh")));
  withEnv({ XDG_RUNTIME_DIR: undefined }, () =>
    assert.is(controlDir(), join(homedir(), ".cache", "foobar-infra", "ssh")),
  );
});

test.run();
