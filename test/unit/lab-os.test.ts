// Which release a lab command boots: asked for, the running lab's, or Debian 13; never a mix with a running lab.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "uvu";
import * as assert from "uvu/assert";
import { envLabOs, labOs } from "../../lab/environment/os.ts";
import * as choice from "../../lab/os-choice.ts";
import { scratchDir } from "./support/scratch.ts";

/** A scratch state directory, never the machine's lab (another test file may have loaded lab/paths.ts already). */
const state = scratchDir("lab-state-");
delete process.env.FOOBAR_LAB_OS;
const chooseLabOs = (running: boolean, asked: ReturnType<typeof envLabOs>) => choice.chooseLabOs(running, asked, state);
const recordLabOs = (os: NonNullable<ReturnType<typeof envLabOs>>) => choice.recordLabOs(os, state);
const forgetLabOs = () => choice.forgetLabOs(state);
const labOsOf = (running: boolean) => choice.labOsOf(running, state);

const failure = (run: () => unknown) => {
  try {
    run();
    return "no error";
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
};

test("no lab running: the release asked for, else Debian 13", () => {
  assert.is(chooseLabOs(false, undefined).suite, "trixie");
  assert.is(chooseLabOs(false, labOs("debian12", "--os")).suite, "bookworm");
});

test("a running lab keeps its release; asking for another names the running one and the way out", () => {
  recordLabOs(labOs("debian12", "--os"));
  assert.is(chooseLabOs(true, undefined).name, "debian12");
  assert.is(chooseLabOs(true, labOs("debian12", "--os")).name, "debian12");
  assert.is(labOsOf(true)?.release, "Debian 12");
  assert.is(
    failure(() => chooseLabOs(true, labOs("debian13", "--os"))),
    "LabOsError: lab: the lab runs Debian 12 (debian12), not Debian 13: `npm run lab -- down` first, then `npm run lab -- up --os debian13`",
  );
  forgetLabOs();
});

test("a lab brought up before the choice existed runs Debian 12", () => {
  forgetLabOs();
  assert.is(chooseLabOs(true, undefined).name, "debian12");
});

test("an unknown release, by --os or FOOBAR_LAB_OS, is a usage error listing the ones the lab boots", () => {
  assert.match(
    failure(() => labOs("ubuntu24", "--os")),
    /^LabOsError: --os: no lab OS "ubuntu24" \(the lab boots debian13 \(Debian 13\), debian12 \(Debian 12\)\)$/,
  );
  process.env.FOOBAR_LAB_OS = "bullseye";
  assert.match(failure(envLabOs), /^LabOsError: FOOBAR_LAB_OS: no lab OS "bullseye"/);
  process.env.FOOBAR_LAB_OS = "debian12";
  assert.is(envLabOs()?.name, "debian12");
  delete process.env.FOOBAR_LAB_OS;
});

test("a recorded release the lab does not know is refused, naming the state file", () => {
  writeFileSync(join(state, "os"), "debian11\n");
  assert.match(
    failure(() => chooseLabOs(true, undefined)),
    /no lab OS "debian11"/,
  );
  assert.match(
    failure(() => chooseLabOs(true, undefined)),
    new RegExp(join(state, "os")),
  );
  forgetLabOs();
});

test.run();
