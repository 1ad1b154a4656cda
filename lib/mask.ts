// Secret masking: every known secret value is replaced by ******** in anything we print.

const known = new Set<string>();
let pattern: RegExp | null = null;

/** Remember a secret value so mask() hides it. Values shorter than 4 characters are refused. */
export function registerSecret(value: string): void {
  if (value.length < 4) throw new Error("a secret must be at least 4 characters long");
  if (known.has(value)) return;
  known.add(value);
  pattern = null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** Replace every registered secret in text. */
export function mask(text: string): string {
  if (known.size === 0) return text;
  if (!pattern) {
    const forms = [...known].sort((a, b) => b.length - a.length);
    pattern = new RegExp(forms.map(escapeRegExp).join("|"), "g");
  }
  return text.replace(pattern, "********");
}

/** Mask every string inside a JSON-able value (for NDJSON events). */
export function maskDeep<T>(value: T): T {
  return JSON.parse(mask(JSON.stringify(value))) as T;
}
