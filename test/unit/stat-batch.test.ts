// Batched probes answer exactly what each probe would: file stats through the real /bin/sh, unit states from
// recorded `systemctl show` output (this machine has no systemd).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { parseStat, statProbe } from "../../lib/facts/file-stat.ts";
import { packagesProbe, parsePackages } from "../../lib/facts/packages.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { parseUnit, unitProbe } from "../../lib/facts/systemd.ts";
import { serviceFresh } from "../../lib/resources/service-fresh.ts";
import { buildScript, parseScriptOutput, redactHeredocs } from "../../lib/runner/script.ts";

const root = mkdtempSync(join(tmpdir(), "stat-batch-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

async function run(probes: string[]) {
  const script = buildScript([], probes);
  const result = await localTransport().exec("sh -s", { stdin: script.text });
  return { script, sections: parseScriptOutput(result.stdout, script).probes };
}

test("the shared stat and a sha256sum per file answer every batchable file probe like the probe itself", async () => {
  writeFileSync(join(root, "file.conf"), "a=1\n");
  writeFileSync(join(root, "empty"), "");
  mkdirSync(join(root, "dir"));
  symlinkSync(join(root, "file.conf"), join(root, "link"));
  writeFileSync(join(root, "with space"), "x\n");
  const paths = ["file.conf", "empty", "dir", "link", "absent", "with space"].map((name) => join(root, name));
  const batched = await run(paths.map((path) => statProbe(path)));
  assert.is(batched.script.batched.size, 5, "the path with a space keeps its own probe");
  assert.is((batched.script.text.match(/stat -c '%n\|/g) ?? []).length, 1, "one stat for all batched paths");
  const single = await Promise.all(paths.map(async (path) => (await run([statProbe(path)])).sections[0]!));
  assert.is(batched.sections.length, paths.length);
  paths.forEach((path, index) => {
    assert.equal(parseStat(path, batched.sections[index]!.output), parseStat(path, single[index]!.output), path);
  });
  assert.equal(parseStat("link", batched.sections[3]!.output), { kind: "link", target: join(root, "file.conf") });
  assert.is(parseStat("absent", batched.sections[4]!.output).kind, "absent");
});

test("probes with content (--diff) are never batched", async () => {
  const { script } = await run([statProbe(join(root, "file.conf"), true), statProbe(join(root, "empty"), true)]);
  assert.is(script.batched.size, 0);
});

test("one systemctl show answers every unit probe, block by block in argument order", () => {
  const probes = ["nginx", "foobar-app.service", "nginx", "absent-unit"].map(unitProbe);
  const script = buildScript([], probes);
  assert.is(script.batched.size, 4);
  assert.is((script.text.match(/systemctl show/g) ?? []).length, 1, "one batch command for all four probes");
  const batch = ["LoadState=loaded\nActiveState=active\nUnitFileState=enabled", "LoadState=loaded\nActiveState=failed\nUnitFileState=enabled", "LoadState=not-found\nActiveState=inactive\nUnitFileState="].join("\n\n");
  const output = `${batch}\n\n${script.boundary} b1 0\n`;
  const sections = parseScriptOutput(output, script).probes;
  assert.equal(sections.map((section) => parseUnit("unit", section.output).active), ["active", "failed", "active", "inactive"]);
  assert.is(parseUnit("unit", sections[3]!.output).load, "not-found");
});

test("a probe with several markers (service freshness: unit + mtimes) takes its answer from each batch, in order", async () => {
  writeFileSync(join(root, "fresh.cnf"), "x\n");
  const config = join(root, "fresh.cnf");
  const fresh = serviceFresh("mariadb", [config, join(root, "absent.cnf")]);
  const probes = [unitProbe("ssh"), fresh.probe({ diff: false }), unitProbe("nginx")];
  const script = buildScript([], probes);
  assert.is(script.batched.size, 3);
  assert.is((script.text.match(/systemctl show/g) ?? []).length, 1, "the freshness probe's unit rides in the unit batch");
  assert.not.match(script.text, /stat -c '?%Y/, "the mtimes come from the shared stat");
  // The script runs through /bin/sh here, with recorded unit blocks in place of systemctl (no systemd on this machine).
  const unit = (active: string, since: string) => `LoadState=loaded\nActiveState=${active}\nUnitFileState=enabled\nActiveEnterTimestamp=${since}`;
  const answer = async (since: string) => {
    const recorded = [unit("active", "@1"), unit("active", since), unit("active", "@2")].join("\n\n");
    const text = script.text.replace(/^systemctl show .*$/m, `printf '%s\\n' '${recorded}'`);
    return parseScriptOutput((await localTransport().exec("sh -s", { stdin: text })).stdout, script).probes;
  };
  assert.equal(parseUnit("ssh", (await answer("@1"))[0]!.output).activeSince, 1);
  assert.is(fresh.parse((await answer(`@${Math.floor(Date.now() / 1000) + 60}`))[1]!.output, 0), "fresh");
  assert.is(fresh.parse((await answer("@1"))[1]!.output, 0), "stale", "the file was written after a start at epoch 1");
  const own = (await localTransport().exec("sh -s", { stdin: `stat -c %Y -- ${config} ${join(root, "absent.cnf")} 2>/dev/null` })).stdout;
  assert.is((await answer("@1"))[1]!.output, `${unit("active", "@1")}\n${own}`, "the same text the probe itself prints");
});

test("SQL probes share one client session; each gets the rows of its own statements, with names only where asked", () => {
  const probes = [
    sqlProbe("mariadb", ["SELECT CONCAT('exists ', COUNT(*)) FROM mysql.user WHERE User='root'", "SELECT Host FROM mysql.user WHERE User='nobody'"]),
    sqlProbe("mariadb", ["SHOW REPLICA STATUS\\G"], { columnNames: true }),
    sqlProbe("mariadb", ["SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='foobar'"]),
  ];
  const script = buildScript([], probes);
  assert.is(script.batched.size, 3);
  assert.match(script.text, /mariadb --batch --force 2>\/dev\/null <<'__FOOBAR_SQL_END__'\nSELECT '__FOOBAR_SQL_0_0__';\nSELECT CONCAT\('exists ', COUNT\(\*\)\) FROM mysql.user WHERE User='root';\nSELECT '__FOOBAR_SQL_0_1__';/);
  assert.match(script.text, /SELECT '__FOOBAR_SQL_1_0__';\nSHOW REPLICA STATUS\\G\nSELECT '__FOOBAR_SQL_2_0__';/);
  // Recorded from MariaDB 10.11 (shortened): a marker prints its header and its row; an empty result prints nothing.
  const recorded = [
    "__FOOBAR_SQL_0_0__", "__FOOBAR_SQL_0_0__", "CONCAT('exists ', COUNT(*))", "exists 1",
    "__FOOBAR_SQL_0_1__", "__FOOBAR_SQL_0_1__",
    "__FOOBAR_SQL_1_0__", "__FOOBAR_SQL_1_0__", "*************************** 1. row ***************************", "              Slave_IO_Running: Yes", "             Slave_SQL_Running: Yes",
    "__FOOBAR_SQL_2_0__", "__FOOBAR_SQL_2_0__", "COUNT(*)", "1",
  ].join("\n");
  const output = `${recorded}\n\n${script.boundary} b2 0\n`;
  assert.equal(parseScriptOutput(output, script).probes.map((section) => section.output), [
    "exists 1\n",
    "*************************** 1. row ***************************\n              Slave_IO_Running: Yes\n             Slave_SQL_Running: Yes\n",
    "1\n",
  ]);
});

test("a vertical (\\G) SQL probe without column names runs on its own: the batch could not print its bare values", () => {
  const probes = [sqlProbe("mariadb", ["SHOW REPLICA STATUS\\G"]), sqlProbe("mariadb", ["SELECT 1"]), sqlProbe("mariadb", ["SELECT 2"])];
  const script = buildScript([], probes);
  assert.equal([...script.batched.keys()], [1, 2]);
  assert.match(script.text, /mariadb --batch --skip-column-names --force -e 'SHOW REPLICA STATUS\\G'/);
});

test("one dpkg-query answers every package probe with its own packages", async () => {
  const lists = [["dpkg", "no-such-package-foobar"], ["coreutils"], ["dpkg", "sed"]];
  const batched = await run(lists.map(packagesProbe));
  assert.is(batched.script.batched.size, 3);
  assert.is((batched.script.text.match(/dpkg-query/g) ?? []).length, 1, "one dpkg-query for all three probes");
  const single = await Promise.all(lists.map(async (names) => (await run([packagesProbe(names)])).sections[0]!));
  lists.forEach((names, index) => {
    const own = parsePackages(single[index]!.output);
    const answer = parsePackages(batched.sections[index]!.output);
    assert.equal([...answer.installed.keys()].sort(), [...own.installed.keys()].sort(), names.join(","));
  });
  assert.ok(parsePackages(batched.sections[0]!.output).installed.has("dpkg"));
  assert.not.ok(parsePackages(batched.sections[1]!.output).installed.has("dpkg"), "a probe sees only its own packages");
});

test("-vv output never shows a SQL probe's encoded statements", () => {
  const secretSql = "SELECT COUNT(*) FROM mysql.user WHERE authentication_string='*0123456789ABCDEF0123456789ABCDEF01234567'";
  const probe = sqlProbe("mariadb", [secretSql]);
  const payload = probe.split("\n")[0]!.split(" ").at(-1)!;
  const script = buildScript([], [probe]);
  assert.is(script.batched.size, 0, "a single SQL probe runs on its own, marker included");
  assert.ok(script.text.includes(payload), "the script sent to the host keeps the marker");
  const text = redactHeredocs(script.text);
  assert.match(text, /^# foobar:sql \[encoded probe\]$/m);
  assert.not.ok(text.includes(payload));
});

test.run();
