// Which Debian release the lab's hosts boot: `npm run lab -- up --os debian12|debian13` or FOOBAR_LAB_OS, Debian 13 by default.

export interface LabOs {
  /** The name `--os` and FOOBAR_LAB_OS take. */
  name: string;
  /** The Debian suite debootstrap installs and the hosts' apt sources name. */
  suite: string;
  /** Its security suite on the mirror's debian-security archive. */
  securitySuite: string;
  release: string;
}

export const LAB_OSES: readonly LabOs[] = [
  { name: "debian13", suite: "trixie", securitySuite: "trixie-security", release: "Debian 13" },
  { name: "debian12", suite: "bookworm", securitySuite: "bookworm-security", release: "Debian 12" },
];

export const DEFAULT_LAB_OS = "debian13";

/** The release named `name`, or an error listing the ones the lab boots. */
export function labOs(name: string, from: string): LabOs {
  const os = LAB_OSES.find((candidate) => candidate.name === name);
  if (!os)
    throw new LabOsError(
      `${from}: no lab OS "${name}" (the lab boots ${LAB_OSES.map((candidate) => `${candidate.name} (${candidate.release})`).join(", ")})`,
    );
  return os;
}

/** A lab OS named wrongly: a usage error (exit 4). */
export class LabOsError extends Error {}

/** The release FOOBAR_LAB_OS asks for, or undefined when it is unset. */
export function envLabOs(): LabOs | undefined {
  const name = process.env.FOOBAR_LAB_OS;
  return name ? labOs(name, "FOOBAR_LAB_OS") : undefined;
}
