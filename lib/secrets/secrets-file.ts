// An environment's secrets file, read and written whole (clear-file.ts, age-file.ts), and the document they hold.

export type SecretValues = Record<string, string>;

export interface SecretsFile {
  /** As hosts.ts names it (relative to the repository), for messages. */
  readonly name: string;
  readonly path: string;
  readonly encrypted: boolean;
  /** Every value; {} when the file does not exist yet. */
  read(): Promise<SecretValues>;
  /** Replace the whole file (an encrypted one to its recipients list). */
  write(values: SecretValues): Promise<void>;
}

/** Values as JSON with sorted keys, so a re-encrypted file's plaintext changes only where a value did. */
export function serialiseValues(values: SecretValues): string {
  return `${JSON.stringify(Object.fromEntries(Object.entries(values).sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`;
}

/** Parse a secrets document: a JSON object of strings. */
export function parseValues(text: string, name: string): SecretValues {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`secrets file ${name}: ${(error as Error).message}`);
  }
  if (
    !parsed ||
    typeof parsed !== "object" ||
    Array.isArray(parsed) ||
    Object.values(parsed).some((value) => typeof value !== "string")
  ) {
    throw new Error(`secrets file ${name}: must be a JSON object of names to string values`);
  }
  return parsed as SecretValues;
}
