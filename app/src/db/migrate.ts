// Apply pending migrations on the primary, once each, serialized across app hosts by a named lock.
import type { Migration } from "./migrations.ts";

/** One database session: the lock taken by GET_LOCK belongs to it. */
export interface SqlSession {
  /** Rows for a SELECT, [] for other statements. */
  query(sql: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
}

export const MIGRATION_LOCK = "foobar_migrations";
export const LOCK_WAIT_SECONDS = 10;

const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS schema_migrations (
  id VARCHAR(128) NOT NULL PRIMARY KEY,
  applied_at TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

const RELEASE_LOCK = "SELECT RELEASE_LOCK(?)";

async function acquireLock(session: SqlSession): Promise<void> {
  const [row] = await session.query("SELECT GET_LOCK(?, ?) AS acquired", [MIGRATION_LOCK, LOCK_WAIT_SECONDS]);
  if (Number(row?.acquired) !== 1) {
    throw new Error(`could not take lock ${MIGRATION_LOCK} within ${LOCK_WAIT_SECONDS}s (another host is migrating?)`);
  }
}

async function applyPending(session: SqlSession, list: readonly Migration[]): Promise<string[]> {
  await session.query(CREATE_MIGRATIONS_TABLE);
  const done = new Set((await session.query("SELECT id FROM schema_migrations")).map((row) => String(row.id)));
  const applied: string[] = [];
  for (const migration of list) {
    if (done.has(migration.id)) continue;
    for (const statement of migration.statements) await session.query(statement);
    await session.query("INSERT INTO schema_migrations (id) VALUES (?)", [migration.id]);
    applied.push(migration.id);
  }
  return applied;
}

/** Apply the migrations not yet recorded in schema_migrations, in list order, inside the lock; returns the ids applied. */
export async function applyMigrations(session: SqlSession, list: readonly Migration[]): Promise<string[]> {
  await acquireLock(session);
  let applied: string[];
  try {
    applied = await applyPending(session, list);
  } catch (error) {
    await session.query(RELEASE_LOCK, [MIGRATION_LOCK]).catch(() => {});
    throw error;
  }
  await session.query(RELEASE_LOCK, [MIGRATION_LOCK]);
  return applied;
}
