// The fields of one line of probe output, as a tuple of `N` strings (for destructuring once the count is checked).

export type Fields<N extends number, Found extends string[] = []> = Found["length"] extends N
  ? Found
  : Fields<N, [...Found, string]>;
