// Validation of a posted message: an object with non-empty author (≤ 64 characters) and text (≤ 500 characters).
import type { NewMessage } from "../db/store.ts";

export const MAX_AUTHOR_LENGTH = 64;
export const MAX_TEXT_LENGTH = 500;

export type Validation = { ok: true; message: NewMessage } | { ok: false; error: string };

/** What is wrong with one field, or null; lengths count code points, as MySQL counts utf8mb4 VARCHAR characters. */
function fieldProblem(name: string, value: unknown, max: number): string | null {
  if (typeof value !== "string") return `${name} must be a string`;
  const trimmed = value.trim();
  if (trimmed === "") return `${name} must not be empty`;
  if ([...trimmed].length > max) return `${name} must be at most ${max} characters`;
  return null;
}

export function validateMessage(body: unknown): Validation {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    return { ok: false, error: "body must be a JSON object {author, text}" };
  }
  const { author, text } = body as Record<string, unknown>;
  const problem = fieldProblem("author", author, MAX_AUTHOR_LENGTH) ?? fieldProblem("text", text, MAX_TEXT_LENGTH);
  if (problem !== null) return { ok: false, error: problem };
  return { ok: true, message: { author: String(author).trim(), text: String(text).trim() } };
}
