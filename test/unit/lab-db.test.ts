// Which database the lab's database hosts run: asked for (--db, FOOBAR_LAB_DB), the running lab's (read from its
// database hosts' overlay mounts), or MariaDB; never a mix; MySQL's hosts boot Debian unstable, whose index files the
// apt proxy serves only then.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { refusal } from "../../lab/apt-proxy.ts";
import { imageSuites } from "../../lab/base-image.ts";
import { chooseLabDb } from "../../lab/db-choice.ts";
import { envLabDb, labDb, SID_IMAGE } from "../../lab/environment/db.ts";
import { labOs } from "../../lab/environment/os.ts";
import { mountedLabDb } from "../../lab/environment/running-db.ts";
import { upChoices } from "../../lab/up-choices.ts";
import { thrown } from "./support/thrown.ts";

const STATE = "/var/lib/foobar-lab2";
const DB_HOSTS = ["db-01", "db-02"];
/** /proc/mounts of a lab whose `host` is mounted on `image`. */
const mounted = (host: string, image: string, stateDir = STATE) =>
  `overlay ${stateDir}/hosts/${host}/merged overlay rw,relatime,lowerdir=/var/cache/foobar-lab/images/${image},upperdir=${stateDir}/hosts/${host}/upper,workdir=${stateDir}/hosts/${host}/work 0 0\n`;

test("up takes --os and --db, each once, as `--flag value` or `--flag=value`", () => {
  const both = upChoices(["--db", "mysql", "--os=debian12"]);
  assert.ok(typeof both !== "string");
  assert.equal([both.db?.name, both.release?.name], ["mysql", "debian12"]);
  assert.equal(upChoices([]), {});
  assert.match(
    upChoices(["--db", "postgres"]) as string,
    /^--db: no lab database "postgres" \(the lab runs mariadb \(MariaDB\), mysql \(MySQL\)\)$/,
  );
  assert.match(
    upChoices(["--db", "mysql", "--db", "mariadb"]) as string,
    /^unexpected .*up takes --os debian13\|debian12 and --db mariadb\|mysql/,
  );
  assert.match(upChoices(["--db"]) as string, /^unexpected "--db"/);
});

test("no lab running: the database asked for, else MariaDB; a running lab's is read from its database hosts' mounts", () => {
  assert.is(chooseLabDb(DB_HOSTS, undefined, STATE, "").name, "mariadb");
  assert.is(chooseLabDb(DB_HOSTS, labDb("mysql", "--db"), STATE, "").name, "mysql");
  const mysqlLab = mounted("lb-01", "trixie-f041ef38d24b16b4") + mounted("db-01", "sid-faf521f354c984fa");
  assert.is(mountedLabDb(mysqlLab, STATE, DB_HOSTS)?.name, "mysql");
  assert.is(mountedLabDb(mounted("db-02", "trixie-f041ef38d24b16b4"), STATE, DB_HOSTS)?.name, "mariadb");
  assert.is(mountedLabDb(mounted("lb-01", "trixie-f041ef38d24b16b4"), STATE, DB_HOSTS), undefined);
  assert.is(mountedLabDb(mounted("db-01", "sid-faf521f354c984fa", "/var/lib/foobar-lab"), STATE, DB_HOSTS), undefined);
  assert.is(chooseLabDb(DB_HOSTS, undefined, STATE, mysqlLab).name, "mysql");
});

test("a running lab asked for another database is refused with the way out, like --os", () => {
  assert.is(
    thrown(() => chooseLabDb(DB_HOSTS, labDb("mysql", "--db"), STATE, mounted("db-01", "trixie-f041ef38d24b16b4"))),
    "LabDbError: lab: the lab's database hosts run MariaDB (mariadb), not MySQL: `npm run lab -- down` first, then `npm run lab -- up --db mysql`",
  );
  const saved = process.env.FOOBAR_LAB_DB;
  process.env.FOOBAR_LAB_DB = "mysql";
  assert.is(envLabDb()?.image, SID_IMAGE);
  process.env.FOOBAR_LAB_DB = "sqlite";
  assert.match(thrown(envLabDb), /^LabDbError: FOOBAR_LAB_DB: no lab database "sqlite"/);
  if (saved === undefined) delete process.env.FOOBAR_LAB_DB;
  else process.env.FOOBAR_LAB_DB = saved;
});

test("the apt proxy serves unstable's index files only when an unstable image is booted", () => {
  const sid = new URL("http://deb.debian.org/debian/dists/sid/InRelease");
  const mariadbLab = { hosts: ["deb.debian.org"], suites: imageSuites(labOs("debian13", "test")) };
  const mysqlLab = { ...mariadbLab, suites: [...mariadbLab.suites, ...imageSuites(SID_IMAGE)] };
  assert.match(refusal("GET", sid, mariadbLab)!, /suite sid is not one the lab's images install from/);
  assert.is(refusal("GET", sid, mysqlLab), undefined);
  assert.equal(imageSuites(SID_IMAGE), ["sid"]);
  assert.equal(mariadbLab.suites, ["trixie", "trixie-updates", "trixie-security"]);
  assert.match(refusal("GET", new URL("http://deb.debian.org/debian/dists/bookworm/Release"), mysqlLab)!, /bookworm/);
});

test.run();
