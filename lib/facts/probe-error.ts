// The error of a probe output that does not have the shape its parser expects.

export class ProbeParseError extends Error {
  constructor(id: string, detail: string, stdout: string) {
    super(`${id}: cannot read probe output (${detail}): ${JSON.stringify(stdout.slice(0, 200))}`);
    this.name = "ProbeParseError";
  }
}
