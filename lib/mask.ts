// Secret masking: every known secret value, and each form it takes when quoted, escaped or encoded, is replaced by ******** in anything we print.
import { envFileValue, keyOptionValue, sqlString } from "./encode.ts";

const known = new Set<string>();
let pattern: RegExp | null = null;

/** The forms a value takes inside what is printed: as is, JSON-escaped, inside shell single quotes, SQL-, systemd- and authorized_keys-escaped. */
function formsOf(value: string): string[] {
  const inside = (quoted: string) => quoted.slice(1, -1);
  const forms = [
    value,
    inside(JSON.stringify(value)),
    value.replace(/'/g, `'\\''`),
    inside(sqlString(value)),
    inside(JSON.stringify(inside(JSON.stringify(value)))),
  ];
  for (const encode of [envFileValue, keyOptionValue])
    try {
      forms.push(inside(encode(value)));
    } catch {} // a form the value cannot take (a NUL, a line break) is never printed either
  return forms;
}

/** Remember a secret value so mask() hides it in every form it takes. Values shorter than 4 characters are refused. */
export function registerSecret(value: string): void {
  if (value.length < 4) throw new Error("a secret must be at least 4 characters long");
  if (known.has(value)) return;
  for (const form of formsOf(value)) known.add(form);
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

/** Mask every string inside a JSON-able value before it is serialised (for NDJSON events): a secret's JSON escapes cannot hide it. */
export function maskDeep<T>(value: T): T {
  if (typeof value === "string") return mask(value) as T;
  if (Array.isArray(value)) return value.map((item) => maskDeep(item)) as T;
  if (value && typeof value === "object") {
    // Anything but a plain object (an Error, a class) is masked as the JSON it serialises to.
    const plain = (value as object).constructor === Object ? value : JSON.parse(JSON.stringify(value));
    if (plain === null || typeof plain !== "object" || Array.isArray(plain)) return maskDeep(plain);
    return Object.fromEntries(Object.entries(plain).map(([key, item]) => [key, maskDeep(item)])) as T;
  }
  return value;
}
