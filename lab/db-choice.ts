// Which database this lab command runs on the database hosts: the one asked for (--db, FOOBAR_LAB_DB), else the
// running lab's, else MariaDB; a running lab of another database is refused rather than mixed.
import { DEFAULT_LAB_DB, envLabDb, LabDbError, labDb, type LabDb } from "./environment/db.ts";
import { machineMounts, mountedLabDb } from "./environment/running-db.ts";
import { STATE_DIR } from "./paths.ts";

/** The database to run: `asked` (else FOOBAR_LAB_DB), checked against the running lab's when its database hosts run. */
export function chooseLabDb(
  dbHosts: readonly string[],
  asked: LabDb | undefined = envLabDb(),
  stateDir = STATE_DIR,
  mounts = machineMounts(),
): LabDb {
  const current = mountedLabDb(mounts, stateDir, dbHosts);
  if (!current) return asked ?? labDb(DEFAULT_LAB_DB, "default");
  if (asked && asked.name !== current.name)
    throw new LabDbError(
      `lab: the lab's database hosts run ${current.label} (${current.name}), not ${asked.label}: \`npm run lab -- down\` first, then \`npm run lab -- up --db ${asked.name}\``,
    );
  return current;
}
