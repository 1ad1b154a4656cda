// POSIX sh command building: quoting that is safe under dash, and the sh`...` tag.

/** A fragment inserted into sh`...` verbatim (already shell syntax, never user data). */
export class RawShell {
  constructor(readonly text: string) {}
}

/** Mark trusted shell syntax so sh`...` does not quote it. */
export function raw(text: string): RawShell {
  return new RawShell(text);
}

/** Quote one word for POSIX sh: single quotes, with embedded ' written as '\''. */
export function quote(word: string | number): string {
  const text = String(word);
  if (text !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(text)) return text;
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

type ShellValue = string | number | RawShell | readonly (string | number)[];

function render(value: ShellValue): string {
  if (value instanceof RawShell) return value.text;
  if (Array.isArray(value)) return value.map((item) => quote(item)).join(" ");
  return quote(value as string | number);
}

/**
 * Build a command: every interpolated value is quoted as one word (arrays as several words),
 * except values wrapped in raw(). `sh\`rm -f ${path}\`` is safe for any path.
 */
export function sh(strings: TemplateStringsArray, ...values: ShellValue[]): string {
  return strings.reduce(
    (command, text, index) => command + text + (index < values.length ? render(values[index]!) : ""),
    "",
  );
}

/**
 * A here-document carrying arbitrary bytes: base64 on the wire, decoded on the host.
 * Returns shell text that writes `content` to the command's stdin, e.g. `base64 -d > f <<'X'`.
 */
export function heredocBase64(command: string, content: string | Buffer): string {
  const encoded = Buffer.from(content)
    .toString("base64")
    .replace(/.{1,76}/g, "$&\n");
  return `${command} <<'__FOOBAR_B64__'\n${encoded}__FOOBAR_B64__`;
}
