// Hostile strings survive quoting through the real /bin/sh (dash on Debian) via the local transport.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { atomicWriteScript } from "../../lib/resources/atomic-write.ts";
import { quote, raw, sh } from "../../lib/shell.ts";

const hostile = [
  "",
  "plain",
  "two words",
  "it's",
  `"double"`,
  "$HOME ${PATH} $(id) `id`",
  "back\\slash\\",
  "new\nline",
  "tab\tand\r",
  "-n",
  "--help",
  "*?[a-z]",
  "; rm -rf / #",
  "| cat /etc/passwd &",
  "ünïcödé ✓ 日本",
  "'''",
  "a'b\"c$d`e\\f",
];

const local = localTransport("localhost");

test("every hostile string comes back unchanged from printf through sh", async () => {
  for (const value of hostile) {
    const result = await local.exec("sh -s", { stdin: sh`printf '%s' ${value}` });
    assert.is(result.code, 0, `exit for ${JSON.stringify(value)}: ${result.stderr}`);
    assert.is(result.stdout, value, `round trip of ${JSON.stringify(value)}`);
  }
});

test("arrays become several words, raw() is inserted verbatim", async () => {
  const result = await local.exec("sh -s", {
    stdin: sh`for word in ${hostile.slice(1, 6)}; do printf '[%s]' "$word"; done${raw(" && echo")}`,
  });
  assert.is(
    result.stdout,
    `${hostile
      .slice(1, 6)
      .map((word) => `[${word}]`)
      .join("")}\n`,
  );
});

test("quote leaves safe words bare and single-quotes the rest", () => {
  assert.is(quote("nginx"), "nginx");
  assert.is(quote("/etc/nginx/sites-available/foobar"), "/etc/nginx/sites-available/foobar");
  assert.is(quote(""), "''");
  assert.is(quote("it's"), `'it'\\''s'`);
});

test("a file with a hostile name and content is written byte for byte", async () => {
  const dir = mkdtempSync(join(tmpdir(), "quoting-"));
  try {
    const path = join(dir, "we'ird $(name) `x`.conf");
    const content = hostile.join("\n");
    const result = await local.exec("sh -s", {
      stdin: `set -e\n${atomicWriteScript(path, content, { mode: "0600" })}`,
    });
    assert.is(result.code, 0, result.stderr);
    assert.is(readFileSync(path, "utf8"), content);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
