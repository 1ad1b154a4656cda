// Privileges of an account: the declared shape, and SHOW GRANTS output parsed into the same shape.

/** Object ("*.*" or "<db>.*") → privilege names as SHOW GRANTS prints them. */
export type Grants = Record<string, string[]>;

/** The object as SHOW GRANTS prints it: *.* or `db`.* */
export function grantObject(on: string): string {
  if (on === "*.*") return on;
  const match = /^`?([A-Za-z0-9_]+)`?\.\*$/.exec(on);
  if (!match) throw new Error(`grant object "${on}" must be *.* or <database>.*`);
  return `\`${match[1]}\`.*`;
}

/** Normalised form: objects as printed, privileges upper-case and sorted, USAGE dropped. */
export function normaliseGrants(grants: Grants): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [on, privileges] of Object.entries(grants)) {
    const names = privileges.map((name) => name.toUpperCase()).filter((name) => name !== "USAGE");
    if (names.length > 0)
      result.set(grantObject(on), [...new Set([...(result.get(grantObject(on)) ?? []), ...names])].sort());
  }
  return result;
}

/** The GRANT rows of a probe's output, authentication clauses (password hashes) cut off. */
export function grantLines(lines: readonly string[]): string[] {
  return lines
    .filter((line) => line.startsWith("GRANT "))
    .map((line) => line.replace(/ IDENTIFIED (BY|VIA|WITH) .*$/, ""));
}

/** Parse SHOW GRANTS lines (password clauses already stripped) into the normalised form. */
export function parseShowGrants(lines: string[]): Map<string, string[]> {
  const grants: Grants = {};
  for (const line of lines) {
    const match = /^GRANT (.+?) ON (\S+) TO /.exec(line.trim());
    if (!match) continue;
    const [, privileges, on] = match as unknown as [string, string, string];
    if (/^(PROXY|ROLE)\b/.test(privileges) || on.startsWith("''@")) continue;
    grants[on] = [...(grants[on] ?? []), ...privileges.split(/,\s*/)];
  }
  return normaliseGrants(grants);
}

/** Statements giving `who` exactly `wanted` (after revoking everything when the account already existed). */
export function grantStatements(who: string, wanted: Map<string, string[]>, existed: boolean): string[] {
  return [
    ...(existed ? [`REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${who};`] : []),
    ...[...wanted].map(([on, privileges]) => `GRANT ${privileges.join(", ")} ON ${on} TO ${who};`),
  ];
}

export function sameGrants(a: Map<string, string[]>, b: Map<string, string[]>): boolean {
  if (a.size !== b.size) return false;
  return [...a].every(([on, privileges]) => b.get(on)?.join(",") === privileges.join(","));
}

export function describeGrants(grants: Map<string, string[]>): string {
  return grants.size === 0
    ? "none"
    : [...grants].map(([on, privileges]) => `${privileges.join(", ")} ON ${on}`).join("; ");
}
