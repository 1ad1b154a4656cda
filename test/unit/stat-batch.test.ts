// Batched probes answer exactly what each probe would: file stats through the real /bin/sh, unit states from a
// recorded systemctl (this machine has no systemd).
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { localTransport } from "../../lib/connection/local.ts";
import { parseStat, statProbe } from "../../lib/facts/file-stat.ts";
import { packagesProbe, parsePackages } from "../../lib/facts/packages.ts";
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { MARIADB, MYSQL } from "../../roles/mysql_common/flavor.ts";
import { parseUnit, unitProbe } from "../../lib/facts/systemd.ts";
import { splitSinceBatch } from "../../lib/facts/unit-since.ts";
import { serviceFresh } from "../../lib/resources/service-fresh.ts";
import { BATCH_ORDER, probeScript } from "../../lib/facts/probe-kinds.ts";
import type { Probe } from "../../lib/facts/probe.ts";
import { parseStatLines } from "../../lib/facts/shared-stat.ts";
import { buildScript, parseScriptOutput, redactHeredocs } from "../../lib/runner/script.ts";

const root = mkdtempSync(join(tmpdir(), "stat-batch-"));
test.after(() => rmSync(root, { recursive: true, force: true }));

async function run(probes: Probe[]) {
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
  assert.is(batched.script.batches.slots.size, 5, "the path with a space keeps its own probe");
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
  assert.is(script.batches.slots.size, 0);
});

/**
 * This machine has no systemd: executables first on the scripts' PATH stand in for systemctl and for dbus-send on the
 * system bus, answering from one recorded table (nginx active, foobar-app failed, both enabled; mariadb active since
 * $FAKE_SINCE; every other unit absent). With FAKE_BUS=no, dbus-send fails as on a host without a system bus.
 */
const fakeBin = join(root, "bin");
mkdirSync(fakeBin);
writeFileSync(
  join(fakeBin, "systemctl"),
  `#!/bin/sh
command=$1; shift
for unit; do
  case $command:$unit in
  *:--*) ;;
  is-active:nginx.service|is-active:mariadb.service) echo active ;;
  is-active:foobar-app.service) echo failed ;;
  is-active:*) echo inactive ;;
  is-enabled:nginx.service|is-enabled:foobar-app.service) echo enabled ;;
  list-unit-files:nginx.service|list-unit-files:foobar-app.service) echo "$unit enabled enabled" ;;
  show:mariadb.service) echo "ActiveEnterTimestamp=$FAKE_SINCE" ;;
  show:*.service) echo "ActiveEnterTimestamp=" ;;
  esac
done
`,
  { mode: 0o755 },
);
writeFileSync(
  join(fakeBin, "dbus-send"),
  `#!/bin/sh
[ "$FAKE_BUS" = yes ] || exit 1
for argument; do names=\${argument#array:string:}; done
echo "method return time=1795667751.970716 sender=:1.0 -> destination=:1.359 serial=25107 reply_serial=2"
echo "   array ["
IFS=,
for unit in $names; do
  case $unit in nginx.service|mariadb.service) load=loaded active=active ;; foobar-app.service) load=loaded active=failed ;; *) load=not-found active=inactive ;; esac
  printf '      struct {\n         string "%s"\n         string "A "quoted" description"\n         string "%s"\n         string "%s"\n         string "dead"\n      }\n' "$unit" "$load" "$active"
done
echo "   ]"
`,
  { mode: 0o755 },
);
const fakeEnvironment = (since: string, bus: boolean) =>
  `export PATH=${fakeBin}:$PATH FAKE_SINCE=${since} FAKE_BUS=${bus ? "yes" : "no"}\n`;

async function runFaked(probes: Probe[], since = "@1", bus = true) {
  const script = buildScript([], probes);
  const text = script.text.replace(/\n/, `\n${fakeEnvironment(since, bus)}`);
  return parseScriptOutput((await localTransport().exec("sh -s", { stdin: text })).stdout, script).probes.map(
    (section) => section.output,
  );
}

/** What a probe prints run on its own, against the same recorded table. */
async function ownOutput(probe: Probe, since = "@1") {
  return (await localTransport().exec("sh -s", { stdin: `${fakeEnvironment(since, false)}${probeScript(probe)}` }))
    .stdout;
}

test("one D-Bus call (or systemctl is-active) and one list-unit-files answer every unit probe, each with the text of its own probe", async () => {
  const probes = ["nginx", "foobar-app.service", "nginx", "absent-unit"].map(unitProbe);
  const script = buildScript([], probes);
  assert.is(script.batches.slots.size, 4);
  assert.is(
    (script.text.match(/ListUnitsByNames array:string:nginx\.service,foobar-app\.service,absent-unit\.service /g) ?? [])
      .length,
    1,
    "one active-state call for all four probes",
  );
  assert.is((script.text.match(/systemctl list-unit-files/g) ?? []).length, 1, "one unit-file command");
  assert.not.match(script.text, /systemctl (show|is-enabled)/);
  for (const bus of [true, false]) {
    const outputs = await runFaked(probes, "@1", bus);
    assert.equal(
      outputs.map((output) => parseUnit("unit", output)).map((unit) => `${unit.active}/${unit.unitFile}`),
      ["active/enabled", "failed/enabled", "active/enabled", "inactive/"],
      bus ? "from the bus" : "from systemctl",
    );
    for (const [index, probe] of probes.entries()) assert.is(outputs[index], await ownOutput(probe), `probe ${index}`);
  }
});

test("the unit-file states are a memo block over the unit directories and the subdirectories holding their links", () => {
  const script = buildScript([], [unitProbe("nginx"), unitProbe("certbot.timer")]);
  const [paths] = [...script.blocks.values()];
  assert.ok(paths, "a memo block");
  for (const path of [
    "/etc/systemd/system",
    "/etc/systemd/system/*/",
    "/run/systemd/system/*/",
    "/lib/systemd/system",
    "/usr/lib/systemd/system",
  ])
    assert.ok(paths.includes(path), path);
  assert.not.ok(paths.includes("/usr/lib/systemd/system/*/"), "vendor links count only for template instances");
  const instance = [...buildScript([], [unitProbe("getty@tty1"), unitProbe("nginx")]).blocks.values()][0]!;
  assert.ok(instance.includes("/usr/lib/systemd/system/*/"));
});

test("service freshness: active state, start time and mtimes come from the batches and the shared stat, as its own probe prints them", async () => {
  writeFileSync(join(root, "fresh.cnf"), "x\n");
  const config = join(root, "fresh.cnf");
  const fresh = serviceFresh("mariadb", [config, join(root, "absent.cnf")]);
  const probes = [unitProbe("ssh"), fresh.probe({ diff: false }), unitProbe("nginx")];
  const script = buildScript([], probes);
  assert.is(script.batches.slots.size, 3);
  assert.is(
    (script.text.match(/ListUnitsByNames/g) ?? []).length,
    1,
    "the freshness probe's unit rides in the active-state batch",
  );
  assert.not.match(script.text, /stat -c '?%Y/, "the mtimes come from the shared stat");
  assert.match(
    script.text,
    /\/run\/systemd\/units\/invocation:mariadb\.service/,
    "the start time is read from systemd's invocation link",
  );
  const later = `@${Math.floor(Date.now() / 1000) + 60}`;
  assert.is(fresh.parse((await runFaked(probes, later))[1]!, 0), "fresh");
  assert.is(
    fresh.parse((await runFaked(probes, "@1"))[1]!, 0),
    "stale",
    "the file was written after a start at epoch 1",
  );
  // No invocation link on this machine: the batch falls back to systemctl show, like the probe itself.
  assert.is(
    (await runFaked(probes, "@1"))[1],
    await ownOutput(fresh.probe({ diff: false }), "@1"),
    "the same text the probe itself prints",
  );
});

test("a unit's start time is its invocation link's ctime, from the shared stat, when the link is there", () => {
  const link = "/run/systemd/units/invocation:mariadb.service";
  const line = `${link}|41|7|32|1795667015.137327293|1795667015.137327293|symbolic link|root|root|777|'${link}' -> 'fb996d4fdac74a0bb7633a40598beaa5'`;
  const stat = parseStatLines(line, new Set([link]));
  const answers = splitSinceBatch("\nActiveEnterTimestamp=\n", ["mariadb", "absent"], stat);
  assert.equal(answers, ["ActiveEnterTimestamp=@1795667015.137327293\n", "ActiveEnterTimestamp=\n"]);
});

test("SQL probes share one client session; each gets the rows of its own statements, with names only where asked", () => {
  const client = MARIADB.probeClient;
  const probes = [
    sqlProbe(client, [
      "SELECT CONCAT('exists ', COUNT(*)) FROM mysql.user WHERE User='root'",
      "SELECT Host FROM mysql.user WHERE User='nobody'",
    ]),
    sqlProbe(client, ["SHOW REPLICA STATUS\\G"], { columnNames: true }),
    sqlProbe(client, ["SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='foobar'"]),
  ];
  const script = buildScript([], probes);
  assert.is(script.batches.slots.size, 3);
  assert.match(
    script.text,
    /mariadb --skip-ssl --batch --force 2>\/dev\/null <<'__FOOBAR_SQL_END__'\nSELECT '__FOOBAR_SQL_0_0__';\nSELECT CONCAT\('exists ', COUNT\(\*\)\) FROM mysql.user WHERE User='root';\nSELECT '__FOOBAR_SQL_0_1__';/,
  );
  assert.match(script.text, /SELECT '__FOOBAR_SQL_1_0__';\nSHOW REPLICA STATUS\\G\nSELECT '__FOOBAR_SQL_2_0__';/);
  // Recorded from MariaDB 10.11 (shortened): a marker prints its header and its row; an empty result prints nothing.
  const recorded = [
    "__FOOBAR_SQL_0_0__",
    "__FOOBAR_SQL_0_0__",
    "CONCAT('exists ', COUNT(*))",
    "exists 1",
    "__FOOBAR_SQL_0_1__",
    "__FOOBAR_SQL_0_1__",
    "__FOOBAR_SQL_1_0__",
    "__FOOBAR_SQL_1_0__",
    "*************************** 1. row ***************************",
    "              Slave_IO_Running: Yes",
    "             Slave_SQL_Running: Yes",
    "__FOOBAR_SQL_2_0__",
    "__FOOBAR_SQL_2_0__",
    "COUNT(*)",
    "1",
  ].join("\n");
  const output = `${recorded}\n\n${script.boundary} b${BATCH_ORDER.indexOf("sql")} 0\n`;
  assert.equal(
    parseScriptOutput(output, script).probes.map((section) => section.output),
    [
      "exists 1\n",
      "*************************** 1. row ***************************\n              Slave_IO_Running: Yes\n             Slave_SQL_Running: Yes\n",
      "1\n",
    ],
  );
});

test("the probe clients of both engines batch; a client with any other words runs each probe on its own", () => {
  const twoProbes = (client: string) => [sqlProbe(client, ["SELECT 1"]), sqlProbe(client, ["SELECT 2"])];
  for (const client of [MARIADB.probeClient, MYSQL.probeClient])
    assert.is(buildScript([], twoProbes(client)).batches.slots.size, 2, client);
  for (const client of ["mariadb -h db-01", "mariadb --defaults-extra-file=/root/x.cnf", "mariadb;id"])
    assert.is(buildScript([], twoProbes(client)).batches.slots.size, 0, client);
});

test("a vertical (\\G) SQL probe without column names runs on its own: the batch could not print its bare values", () => {
  const probes = [
    sqlProbe("mariadb", ["SHOW REPLICA STATUS\\G"]),
    sqlProbe("mariadb", ["SELECT 1"]),
    sqlProbe("mariadb", ["SELECT 2"]),
  ];
  const script = buildScript([], probes);
  assert.equal([...script.batches.slots.keys()], [1, 2]);
  assert.match(script.text, /mariadb --batch --skip-column-names --force -e 'SHOW REPLICA STATUS\\G'/);
});

test("one dpkg-query answers every package probe with its own packages", async () => {
  const lists = [["dpkg", "no-such-package-foobar"], ["coreutils"], ["dpkg", "sed"]];
  const batched = await run(lists.map(packagesProbe));
  assert.is(batched.script.batches.slots.size, 3);
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

test("-vv output shows a SQL probe's statements only as plain text, where the mask sees them", () => {
  const secretSql =
    "SELECT COUNT(*) FROM mysql.user WHERE authentication_string='*0123456789ABCDEF0123456789ABCDEF01234567'";
  const script = buildScript([], [sqlProbe("mariadb", [secretSql])]);
  assert.is(script.batches.slots.size, 0, "a single SQL probe runs on its own");
  const text = redactHeredocs(script.text);
  assert.ok(text.includes(secretSql.replace(/'/g, "'\\''")), "the statement, shell-quoted");
  assert.not.ok(text.includes(Buffer.from(secretSql).toString("base64").slice(0, 32)), "never encoded");
  assert.not.ok(
    text.includes(Buffer.from(JSON.stringify(secretSql)).toString("base64url").slice(0, 32)),
    "never encoded",
  );
});

test.run();
