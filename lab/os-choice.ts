// Which release this lab command boots: the one asked for (--os, FOOBAR_LAB_OS), else the running lab's, else the
// default; a running lab of another release is refused rather than mixed.
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEFAULT_LAB_OS, envLabOs, LabOsError, labOs, type LabOs } from "./environment/os.ts";
import { STATE_DIR } from "./paths.ts";

/** `stateDir` is the lab's state directory; tests name a scratch one. */
const osFile = (stateDir: string) => join(stateDir, "os");

/** The release the running lab booted; a lab brought up before the choice existed booted Debian 12. */
function runningOs(stateDir: string): LabOs {
  const file = osFile(stateDir);
  return labOs(existsSync(file) ? readFileSync(file, "utf8").trim() : "debian12", file);
}

/** The release to boot: `asked` (else FOOBAR_LAB_OS), checked against the running lab's when hosts run. */
export function chooseLabOs(running: boolean, asked: LabOs | undefined = envLabOs(), stateDir = STATE_DIR): LabOs {
  if (!running) return asked ?? labOs(DEFAULT_LAB_OS, "default");
  const current = runningOs(stateDir);
  if (asked && asked.name !== current.name)
    throw new LabOsError(
      `lab: the lab runs ${current.release} (${current.name}), not ${asked.release}: \`npm run lab -- down\` first, then \`npm run lab -- up --os ${asked.name}\``,
    );
  return current;
}

/** Remember the release the lab was brought up with, for later commands (reset, status, the tests). */
export function recordLabOs(os: LabOs, stateDir = STATE_DIR): void {
  writeFileSync(osFile(stateDir), `${os.name}\n`);
}

/** The running lab's release, for status; undefined when no host runs. */
export function labOsOf(running: boolean, stateDir = STATE_DIR): LabOs | undefined {
  return running ? runningOs(stateDir) : undefined;
}

/** Forget it once the lab is down. */
export function forgetLabOs(stateDir = STATE_DIR): void {
  rmSync(osFile(stateDir), { force: true });
}
