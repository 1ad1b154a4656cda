// Which release this lab command boots: the one asked for (--os, FOOBAR_LAB_OS), else the running lab's, else the
// default; a running lab of another release is refused rather than mixed.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LAB_OS, envLabOs, LabOsError, labOs, type LabOs } from "./environment/os.ts";
import { STATE_DIR } from "./paths.ts";

const osFile = () => join(STATE_DIR, "os");

/** The release the running lab booted; a lab brought up before the choice existed booted Debian 12. */
function runningOs(): LabOs {
  return labOs(existsSync(osFile()) ? readFileSync(osFile(), "utf8").trim() : "debian12", osFile());
}

/** The release to boot: `asked` (else FOOBAR_LAB_OS), checked against the running lab's when hosts run. */
export function chooseLabOs(running: boolean, asked: LabOs | undefined = envLabOs()): LabOs {
  if (!running) return asked ?? labOs(DEFAULT_LAB_OS, "default");
  const current = runningOs();
  if (asked && asked.name !== current.name)
    throw new LabOsError(
      `lab: the lab runs ${current.release} (${current.name}), not ${asked.release}: \`npm run lab -- down\` first, then \`npm run lab -- up --os ${asked.name}\``,
    );
  return current;
}

/** Remember the release the lab was brought up with, for later commands (reset, status, the tests). */
export function recordLabOs(os: LabOs): void {
  writeFileSync(osFile(), `${os.name}\n`);
}

/** The running lab's release, for status; undefined when no host runs. */
export function labOsOf(running: boolean): LabOs | undefined {
  return running ? runningOs() : undefined;
}

/** Forget it once the lab is down. */
export function forgetLabOs(): void {
  rmSync(osFile(), { force: true });
}
