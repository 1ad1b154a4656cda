// "Did you mean …?": the closest of some names to a misspelt one, by edit distance (fastest-levenshtein).
import { closest, distance } from "fastest-levenshtein";

/** `; did you mean "x"?` when a name is within a third of its length of `word` (at least 2 edits), else "". */
export function didYouMean(word: string, names: readonly string[]): string {
  if (names.length === 0) return "";
  const nearest = closest(word, [...names]);
  return distance(word, nearest) <= Math.max(2, Math.floor(word.length / 3)) ? `; did you mean "${nearest}"?` : "";
}
