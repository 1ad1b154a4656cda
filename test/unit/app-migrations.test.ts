// Schema migrations: pending ones applied in order inside GET_LOCK, applied ones skipped, the lock released on failure; background retries.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { migrateInBackground } from "../../app/src/db/migrate-in-background.ts";
import { applyMigrations, type SqlSession } from "../../app/src/db/migrate.ts";
import { migrations, type Migration } from "../../app/src/db/migrations.ts";

interface Executed {
  sql: string;
  values: unknown[];
}

/** A session that records every statement; answers GET_LOCK and the applied-ids query, and can fail on a statement. */
function fakeSession(options: { applied?: string[]; lockGranted?: boolean; failOn?: RegExp } = {}) {
  const executed: Executed[] = [];
  const session: SqlSession = {
    async query(sql, values = []) {
      executed.push({ sql, values });
      if (options.failOn?.test(sql)) throw new Error(`failed: ${sql}`);
      if (sql.startsWith("SELECT GET_LOCK")) return [{ acquired: options.lockGranted === false ? 0 : 1 }];
      if (sql === "SELECT id FROM schema_migrations") return (options.applied ?? []).map((id) => ({ id }));
      return [];
    },
  };
  const statements = () => executed.map((entry) => entry.sql.split("\n")[0]);
  return { session, executed, statements };
}

const LIST: Migration[] = [
  { id: "0001-first", statements: ["CREATE TABLE IF NOT EXISTS a (id INT)"] },
  { id: "0002-second", statements: ["ALTER TABLE a ADD COLUMN b INT", "CREATE INDEX a_b ON a (b)"] },
  { id: "0003-third", statements: ["CREATE TABLE IF NOT EXISTS c (id INT)"] },
];

test("applies pending migrations in order, each recorded, inside the lock", async () => {
  const { session, executed, statements } = fakeSession();
  assert.equal(await applyMigrations(session, LIST), ["0001-first", "0002-second", "0003-third"]);
  assert.equal(statements(), [
    "SELECT GET_LOCK(?, ?) AS acquired",
    "CREATE TABLE IF NOT EXISTS schema_migrations (",
    "SELECT id FROM schema_migrations",
    "CREATE TABLE IF NOT EXISTS a (id INT)",
    "INSERT INTO schema_migrations (id) VALUES (?)",
    "ALTER TABLE a ADD COLUMN b INT",
    "CREATE INDEX a_b ON a (b)",
    "INSERT INTO schema_migrations (id) VALUES (?)",
    "CREATE TABLE IF NOT EXISTS c (id INT)",
    "INSERT INTO schema_migrations (id) VALUES (?)",
    "SELECT RELEASE_LOCK(?)",
  ]);
  assert.equal(executed[0]?.values, ["foobar_migrations", 10]);
  assert.equal(
    executed.filter((entry) => entry.sql.startsWith("INSERT")).map((entry) => entry.values),
    [["0001-first"], ["0002-second"], ["0003-third"]],
  );
  assert.equal(executed.at(-1)?.values, ["foobar_migrations"]);
});

test("skips migrations already applied", async () => {
  const { session, statements } = fakeSession({ applied: ["0001-first", "0002-second"] });
  assert.equal(await applyMigrations(session, LIST), ["0003-third"]);
  assert.not.ok(statements().some((sql) => sql.startsWith("ALTER") || sql.startsWith("CREATE TABLE IF NOT EXISTS a")));
  const everything = fakeSession({ applied: LIST.map((migration) => migration.id) });
  assert.equal(await applyMigrations(everything.session, LIST), []);
  assert.equal(everything.statements().length, 4, "lock, migrations table, applied ids, unlock");
});

test("a failing migration stops the run, is not recorded, and the lock is released", async () => {
  const { session, executed, statements } = fakeSession({ failOn: /^ALTER/ });
  try {
    await applyMigrations(session, LIST);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /failed: ALTER TABLE/);
  }
  assert.equal(
    executed.filter((entry) => entry.sql.startsWith("INSERT")).map((entry) => entry.values),
    [["0001-first"]],
  );
  assert.is(statements().at(-1), "SELECT RELEASE_LOCK(?)");
  assert.not.ok(statements().includes("CREATE TABLE IF NOT EXISTS c (id INT)"));
});

test("a failure to release the lock after a failure keeps the original error", async () => {
  const { session } = fakeSession({ failOn: /^(ALTER|SELECT RELEASE_LOCK)/ });
  try {
    await applyMigrations(session, LIST);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /failed: ALTER TABLE/);
  }
});

test("without the lock nothing runs", async () => {
  const { session, statements } = fakeSession({ lockGranted: false });
  try {
    await applyMigrations(session, LIST);
    assert.unreachable();
  } catch (error) {
    assert.match((error as Error).message, /could not take lock foobar_migrations/);
  }
  assert.equal(statements(), ["SELECT GET_LOCK(?, ?) AS acquired"]);
});

test("the first migration creates the messages table as specified", () => {
  assert.is(migrations[0]?.id, "0001-create-messages");
  const sql = migrations[0]?.statements.join("\n") ?? "";
  assert.match(sql, /CREATE TABLE IF NOT EXISTS messages/);
  assert.match(sql, /id BIGINT AUTO_INCREMENT PRIMARY KEY/);
  assert.match(sql, /author VARCHAR\(64\) NOT NULL/);
  assert.match(sql, /`text` VARCHAR\(500\) NOT NULL/);
  assert.match(sql, /created_at TIMESTAMP\(3\) NOT NULL DEFAULT CURRENT_TIMESTAMP\(3\)/);
  assert.match(sql, /ENGINE=InnoDB DEFAULT CHARSET=utf8mb4/);
  assert.equal(new Set(migrations.map((migration) => migration.id)).size, migrations.length, "ids are unique");
});

test("background migration retries until the primary answers", async () => {
  const logged: string[] = [];
  let attempts = 0;
  const background = migrateInBackground(
    async () => {
      attempts++;
      if (attempts < 3) throw new Error("connect ECONNREFUSED");
      return ["0001-create-messages"];
    },
    (event) => logged.push(event),
    5,
  );
  await background.finished;
  assert.is(attempts, 3);
  assert.equal(logged, ["migrations failed", "migrations failed", "migrations"]);
});

test("background migration stops when asked, between attempts", async () => {
  let attempts = 0;
  let attempted: () => void = () => {};
  const firstAttempt = new Promise<void>((resolve) => (attempted = resolve));
  const background = migrateInBackground(
    async () => {
      attempts++;
      attempted();
      throw new Error("down");
    },
    () => {},
    60_000,
  );
  await firstAttempt;
  background.stop();
  await background.finished;
  assert.is(attempts, 1);
});

test.run();
