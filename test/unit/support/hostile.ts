// Hostile strings for the trust-boundary property test: a seeded generator of quotes, substitutions, separators, line
// breaks, NUL, a leading -, lookalike unicode and very long values, each planted in a valid value of the var.

/** What a shell, a config file or a reader of either takes as more than data. */
export const HOSTILE_FRAGMENTS = [
  "'",
  '"',
  "`",
  "$(id)",
  "`id`",
  "${IFS}",
  ";id",
  "&&id",
  "|id",
  ">x",
  "\\",
  "\n",
  "\nNODE_OPTIONS=--require=/tmp/x",
  "\r",
  "\0",
  "\t",
  " ",
  "#",
  "%n",
  "{}",
  "\u0430", // Cyrillic a
  "\uff0f", // fullwidth solidus
  "\u200b", // zero-width space
  "\u202e", // right-to-left override
  "x".repeat(5000),
];

/** What a command reads as an option when it comes first (and only then). */
export const LEADING_FRAGMENTS = ["-", "--help", "-oProxyCommand=id"];

/** mulberry32: a small seeded generator, so a failing value is found again on the next run. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Hostile values built on `valid`: each fragment alone, before, after and inside it, each leading one alone and before it, then `randomCount` of two or three fragments at random places. */
export function hostileValues(valid: string, random: () => number, randomCount = 6): string[] {
  const at = (text: string, fragment: string, index: number) => text.slice(0, index) + fragment + text.slice(index);
  const values = [
    ...HOSTILE_FRAGMENTS.flatMap((fragment) => [
      fragment,
      fragment + valid,
      valid + fragment,
      at(valid, fragment, Math.floor(valid.length / 2)),
    ]),
    ...LEADING_FRAGMENTS.flatMap((fragment) => [fragment, fragment + valid]),
  ];
  for (let made = 0; made < randomCount; made++) {
    let value = valid;
    const count = 2 + Math.floor(random() * 2);
    for (let planted = 0; planted < count; planted++)
      value = at(
        value,
        HOSTILE_FRAGMENTS[Math.floor(random() * HOSTILE_FRAGMENTS.length)]!,
        Math.floor(random() * (value.length + 1)),
      );
    values.push(value);
  }
  return [...new Set(values)].filter((value) => value !== valid);
}
