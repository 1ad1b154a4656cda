// Which release a lab command boots: asked for, the running lab's (read from its hosts' overlay mounts), or Debian 13;
// never a mix with a running lab.
import { test } from "uvu";
import * as assert from "uvu/assert";
import { envLabOs, labOs } from "../../lab/environment/os.ts";
import { chooseLabOs, runningLabOs } from "../../lab/os-choice.ts";
import { thrown } from "./support/thrown.ts";

const STATE = "/var/lib/foobar-lab";
/** /proc/mounts as a lab in `stateDir` running on `image` leaves it, with unrelated mounts around. */
const mounts = (stateDir: string, image: string) =>
  [
    "proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0",
    `overlay ${stateDir}/hosts/lb-01/merged overlay rw,relatime,lowerdir=/var/cache/foobar-lab/images/${image},upperdir=${stateDir}/hosts/lb-01/upper,workdir=${stateDir}/hosts/lb-01/work 0 0`,
    "overlay /var/lib/docker/overlay2/x/merged overlay rw,lowerdir=/var/cache/foobar-lab/images/bookworm-00aa 0 0",
    "",
  ].join("\n");
const NONE = mounts("/elsewhere", "trixie-f041ef38d24b16b4");

test("no lab running: the release asked for, else Debian 13", () => {
  assert.is(chooseLabOs(undefined, STATE, NONE).suite, "trixie");
  assert.is(chooseLabOs(labOs("debian12", "--os"), STATE, NONE).suite, "bookworm");
  assert.is(runningLabOs(STATE, NONE), undefined);
});

test("a running lab keeps the release its hosts are mounted on; asking for another names it and the way out", () => {
  const running = mounts(STATE, "bookworm-5d2c0a9e11f3b7c4");
  assert.is(chooseLabOs(undefined, STATE, running).name, "debian12");
  assert.is(chooseLabOs(labOs("debian12", "--os"), STATE, running).name, "debian12");
  assert.is(runningLabOs(STATE, running)?.release, "Debian 12");
  assert.is(
    thrown(() => chooseLabOs(labOs("debian13", "--os"), STATE, running)),
    "LabOsError: lab: the lab runs Debian 12 (debian12), not Debian 13: `npm run lab -- down` first, then `npm run lab -- up --os debian13`",
  );
});

test("another instance's lab (its own state directory) is not this one's", () => {
  const second = mounts(`${STATE}2`, "bookworm-5d2c0a9e11f3b7c4");
  assert.is(runningLabOs(STATE, second), undefined);
  assert.is(chooseLabOs(labOs("debian13", "--os"), STATE, second).name, "debian13");
  assert.is(runningLabOs(`${STATE}2`, second)?.name, "debian12");
});

test("an unknown release, by --os or FOOBAR_LAB_OS, is a usage error listing the ones the lab boots", () => {
  assert.match(
    thrown(() => labOs("ubuntu24", "--os")),
    /^LabOsError: --os: no lab OS "ubuntu24" \(the lab boots debian13 \(Debian 13\), debian12 \(Debian 12\)\)$/,
  );
  const saved = process.env.FOOBAR_LAB_OS;
  process.env.FOOBAR_LAB_OS = "bullseye";
  assert.match(thrown(envLabOs), /^LabOsError: FOOBAR_LAB_OS: no lab OS "bullseye"/);
  process.env.FOOBAR_LAB_OS = "debian12";
  assert.is(envLabOs()?.name, "debian12");
  if (saved === undefined) delete process.env.FOOBAR_LAB_OS;
  else process.env.FOOBAR_LAB_OS = saved;
});

test.run();
