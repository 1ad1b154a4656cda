// Which database the lab's database hosts run: `npm run lab -- up --db mariadb|mysql` or FOOBAR_LAB_DB, MariaDB by
// default. MySQL is Debian's mysql-server, which only Debian unstable carries: those hosts boot from a sid image.

/** A base image other than the lab OS's: Debian unstable, whose snapshot Release file is past its Valid-Until. */
export interface UnstableImage {
  suite: string;
  release: string;
  /** The mirror's Release file of this suite is past its Valid-Until: apt checks no date for this suite only. */
  staleRelease: true;
  /** Packages the image's hosts will install: the image is kept only when apt finds them installable. */
  mustInstall: readonly string[];
}

export interface LabDb {
  /** The name `--db` and FOOBAR_LAB_DB take, and the database roles' `db_engine`. */
  name: "mariadb" | "mysql";
  /** In words, for messages. */
  label: string;
  /** The image the database hosts boot from; undefined: the lab OS's image, like every other host. */
  image?: UnstableImage;
}

export const SID_IMAGE: UnstableImage = {
  suite: "sid",
  release: "Debian unstable (sid)",
  staleRelease: true,
  mustInstall: ["mysql-server", "mysql-client", "prometheus-mysqld-exporter"],
};

export const LAB_DBS: readonly LabDb[] = [
  { name: "mariadb", label: "MariaDB" },
  { name: "mysql", label: "MySQL", image: SID_IMAGE },
];

export const DEFAULT_LAB_DB = "mariadb";

/** A lab database named wrongly: a usage error (exit 4). */
export class LabDbError extends Error {}

/** The database named `name`, or an error listing the ones the lab runs. */
export function labDb(name: string, from: string): LabDb {
  const db = LAB_DBS.find((candidate) => candidate.name === name);
  if (!db)
    throw new LabDbError(
      `${from}: no lab database "${name}" (the lab runs ${LAB_DBS.map((candidate) => `${candidate.name} (${candidate.label})`).join(", ")})`,
    );
  return db;
}

/** The database FOOBAR_LAB_DB asks for, or undefined when it is unset. */
export function envLabDb(): LabDb | undefined {
  const name = process.env.FOOBAR_LAB_DB;
  return name ? labDb(name, "FOOBAR_LAB_DB") : undefined;
}
