// The database engine is the operator's choice (db_engine, validated with the roles' vars), never the host's OS; what
// the host has installed and what its apt sources offer are probed, and a host that cannot run the engine is refused
// naming host, release and role before anything changes.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { definePlaybook } from "../../lib/dsl/playbook.ts";
import { defineRole } from "../../lib/dsl/role.ts";
import { RoleVars } from "../../lib/dsl/role-vars.ts";
import { loadInventory } from "../../lib/inventory/load.ts";
import { runPlaybook } from "../../lib/runner/run.ts";
import { mergeRoleVars, validateRoleVars } from "../../lib/runner/vars.ts";
import { fakeConnector, shellOf, type FakeLog } from "../../lib/testing/fake-transport.ts";
import { atLeast, engineProblem } from "../../roles/mysql_common/engine-check.ts";
import { flavorOf, MARIADB, MYSQL } from "../../roles/mysql_common/flavor.ts";
import { dbServerPackage, parseEngineState } from "../../roles/mysql_common/server-package-resource.ts";
import { dbUser } from "../../roles/mysql_common/user-resource.ts";
import { dbEngine } from "../../roles/mysql_common/vars.ts";
import mysqlPrimary from "../../roles/mysql_primary/index.ts";
import mysqlReplica from "../../roles/mysql_replica/index.ts";
import mysqldExporter from "../../roles/mysqld_exporter/index.ts";
import { fakeInventory, kv } from "./support/kv-host.ts";
import { recorder } from "./support/run.ts";
import { find, synth } from "./support/synth.ts";

const place = { host: "db-01", release: "Debian GNU/Linux 13 (trixie)", role: "mysql_primary" };
const state = (installed: Record<string, string>, candidate?: string, lists = 3) => ({
  installed: new Map(Object.entries(installed)),
  ...(candidate === undefined ? {} : { candidate }),
  lists,
});

test("db_engine: MariaDB by default, MySQL when asked, anything else refused by the roles' vars check", () => {
  const inventory = loadInventory(fakeInventory(["h1"]), "test");
  const host = inventory.host("h1");
  for (const role of [mysqlPrimary, mysqlReplica, mysqldExporter]) {
    assert.is(mergeRoleVars(role, inventory, host).db_engine, "mariadb", role.name);
    const asked = { ...mergeRoleVars(role, inventory, host), db_engine: "postgres" };
    // (The secrets are references here, resolved only in a run: their complaints are not this test's.)
    assert.equal(
      validateRoleVars(role, host, asked).filter((problem) => problem.includes("db_engine")),
      [`host h1, role ${role.name}: /db_engine: must be one of "mariadb", "mysql", found "postgres"`],
    );
  }
  assert.is(flavorOf("mysql"), MYSQL);
  assert.is(flavorOf("mariadb"), MARIADB);
});

test("the engine check: the other engine installed, no package offered, or too old a release is refused by name", () => {
  assert.is(
    engineProblem(MYSQL, state({ "mariadb-server": "1:11.8.3-0+deb13u1" }), place),
    'host db-01 (Debian GNU/Linux 13 (trixie)), role mysql_primary: db_engine is "mysql" but mariadb-server 1:11.8.3-0+deb13u1 is installed; the roles do not move a server\'s data from MariaDB to MySQL: set db_engine "mariadb" for this host, or converge a fresh host. Nothing was changed',
  );
  assert.is(
    engineProblem(MYSQL, state({}, "(none)"), place),
    'host db-01 (Debian GNU/Linux 13 (trixie)), role mysql_primary: db_engine is "mysql" but this release\'s apt sources offer no mysql-server: set db_engine "mariadb", or add a source with MySQL 8.0.26 or later. Nothing was changed',
  );
  assert.match(
    engineProblem(MYSQL, state({}, "5.7.42-1"), place)!,
    /role mysql_primary: mysql-server 5\.7\.42-1 is what apt offers; the roles need MySQL 8\.0\.26 or later/,
  );
  assert.match(
    engineProblem(MARIADB, state({ "mariadb-server": "1:10.3.39-0+deb10u2" }), place)!,
    /mariadb-server 1:10\.3\.39-0\+deb10u2 is installed; the roles need MariaDB 10\.5\.9 or later/,
  );
  assert.match(
    engineProblem(MARIADB, state({ "mysql-server": "9.7.4-2" }), place)!,
    /mysql-server 9\.7\.4-2 is installed/,
  );
  for (const fine of [
    engineProblem(MYSQL, state({}, "9.7.4-2"), place),
    engineProblem(MYSQL, state({}, "8.0.40-0ubuntu0.24.04.1"), place),
    engineProblem(MYSQL, state({ "mysql-server": "9.7.4-2" }), place),
    engineProblem(MARIADB, state({}, "1:11.8.3-0+deb13u1"), place),
    // No package lists yet (apt-get update never ran): the install's own apt says what is missing.
    engineProblem(MYSQL, state({}, "(none)", 0), place),
  ])
    assert.is(fine, undefined);
  assert.ok(atLeast("8.0.26-1", "8.0.26") && atLeast("10.0.0", "8.0.26") && !atLeast("8.0.25", "8.0.26"));
});

test("the probe's output: installed server packages, the wanted one's candidate, how many lists apt has", () => {
  assert.equal(
    parseEngineState("installed\tmariadb-server\t1:11.8.3-0+deb13u1\ncandidate\t(none)\nlists\t4\n"),
    state({ "mariadb-server": "1:11.8.3-0+deb13u1" }, "(none)", 4),
  );
});

test("through the fake transport: a host running MariaDB asked for MySQL is refused before any change", async () => {
  const steps: string[] = [];
  const log: FakeLog = { execs: [] };
  const handler = (request: Parameters<Parameters<typeof fakeConnector>[0][string]>[0]) => {
    const shell = shellOf(request) ?? "";
    if (request.kind === "step") {
      steps.push(shell);
      return shell.startsWith("echo 'refused:") ? { output: "", status: 1 } : { output: "", status: 0 };
    }
    if (shell.includes("dpkg-query"))
      return { output: "installed\tmariadb-server\t1:10.11.6-0+deb12u1\nlists\t3", status: 0 };
    return { output: "", status: 1 };
  };
  const role = defineRole({
    name: "db_engine_probe",
    dir: import.meta.dirname,
    schema: RoleVars(dbEngine),
    tasks: ({ vars, host, facts }) => [
      dbServerPackage(flavorOf(vars.db_engine), { host: host.name, release: facts.os.pretty, role: "db_engine_probe" }),
      kv("server-config", "written"),
    ],
  });
  const reporter = recorder();
  const result = await runPlaybook(definePlaybook("db", [{ name: "db", hosts: "all_fake", roles: [role] }]), {
    inventory: fakeInventory(["h1"], { vars: { db_engine_probe: { db_engine: "mysql" } } }),
    environment: "test",
    check: false,
    diff: false,
    forks: 1,
    reporter,
    connect: fakeConnector({ h1: handler }, log),
    connectFresh: fakeConnector({ h1: handler }, log),
    repoRoot: process.cwd(),
    factsDir: null,
  });
  assert.is(result.exitCode, 1);
  assert.equal(steps.length, 1, `one step, the refusal: ${steps.join("\n---\n")}`);
  assert.match(
    steps[0]!,
    /refused: host h1 \(Debian GNU\/Linux 12 \(bookworm\)\), role db_engine_probe: db_engine is "mysql" but mariadb-server 1:10\.11\.6-0\+deb12u1 is installed/,
  );
  assert.not.ok(steps.some((step) => step.includes("apt-get") || step.includes("set server-config")));
});

test("the site's database roles take the engine from db_engine: MySQL's package, drop-in after mysqld.cnf, no MASTER/SLAVE", () => {
  const resources = synth({ name: "db", hosts: "db_replica", roles: [mysqlReplica] }, "db-02");
  const engine = find(resources, "db-server-package:mariadb-server");
  assert.equal(engine.plan(state({}, "1:11.8.3-0+deb13u1"), { diff: false }), [{ summary: "install mariadb-server" }]);
  const replicationApply = find(resources, "db-replication").apply(find(resources, "db-replication").parse("", 0));
  assert.match(replicationApply, /mariadb --vertical -e 'SHOW REPLICA STATUS'/);
  const mysqlReplication = MYSQL.changeSource("10.0.0.21", 3306, "foobar_repl", "pw", "/etc/mysql/tls/ca.pem");
  assert.not.match(mysqlReplication, /MASTER|SLAVE|GET_SOURCE_PUBLIC_KEY/);
  assert.not.match(
    JSON.stringify(MYSQL),
    /MASTER_|SLAVE|mysql_native_password|GET_SOURCE_PUBLIC_KEY|master-data|\\\\G/,
  );
  assert.match(MYSQL.identifiedBy("pw"), /^IDENTIFIED WITH caching_sha2_password BY 'pw'$/);
  assert.is(MYSQL.reloadTls, "ALTER INSTANCE RELOAD TLS");
});

test("a MySQL account left on mysql_native_password (gone in MySQL 9) gets its password again on caching_sha2_password", () => {
  const rows = "GRANT SELECT ON `foobar`.* TO `foobar_app`@`10.0.0.11`";
  const account = dbUser(MYSQL, "foobar_app", "10.0.0.11", "pw-3", { "foobar.*": ["SELECT"] });
  const native = account.parse(`exists 1\npassword 1\nextra 0\nplugin mysql_native_password\n${rows}`, 0);
  assert.equal(
    account.plan(native, { diff: false }).map((change) => change.summary),
    ["password"],
  );
  const decoded = [...account.apply(native).matchAll(/<<'__FOOBAR_B64__'[^\n]*\n([\s\S]*?)__FOOBAR_B64__/g)]
    .map((found) => Buffer.from(found[1]!.replace(/\n/g, ""), "base64").toString())
    .join("\n");
  assert.match(decoded, /ALTER USER 'foobar_app'@'10\.0\.0\.11' IDENTIFIED WITH caching_sha2_password BY 'pw-3';/);
  const current = account.parse(`exists 1\npassword 1\nextra 0\nplugin caching_sha2_password\n${rows}`, 0);
  assert.equal(account.plan(current, { diff: false }), []);
});

test.run();
