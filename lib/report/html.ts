// Writing HTML safely: every value escaped, and a masked one (a secret that slipped into a message never reaches a page).
import { mask } from "../mask.ts";

const ENTITIES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };

/** A value as HTML text or attribute: masked, then escaped. */
export function esc(value: string | number): string {
  return mask(String(value)).replace(/[&<>"']/g, (character) => ENTITIES[character]!);
}

/** A percentage for a style, to 4 decimals (a bar's place and width on its track). */
export function percent(part: number, whole: number): string {
  return `${whole > 0 ? ((part / whole) * 100).toFixed(4) : "0"}%`;
}
