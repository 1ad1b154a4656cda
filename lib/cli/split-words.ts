// A command's words (subcommand and arguments) apart from its options, which may come before, between or after them:
// parseArgs reads the shared flags' and the command's own types, so a string option's value (-i lab) is never a word.
import { parseArgs } from "node:util";
import type { ExtraOptions } from "./args.ts";
import { FLAGS } from "./flags.ts";

export function splitWords(argv: string[], extra: ExtraOptions = {}): { words: string[]; options: string[] } {
  const types = Object.fromEntries([
    ...Object.values(FLAGS).map(({ long, type, short }) => [long, short ? { type, short } : { type }]),
    ...Object.entries(extra),
  ]) as ExtraOptions;
  const { tokens } = parseArgs({ args: argv, options: types, strict: false, allowPositionals: true, tokens: true });
  const words = new Set(tokens.flatMap((token) => (token.kind === "positional" ? [token.index] : [])));
  return {
    words: argv.filter((_, index) => words.has(index)),
    options: argv.filter((_, index) => !words.has(index)),
  };
}
