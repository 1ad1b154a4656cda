// Errors that end a run before any host is touched: bad inventory, vars, secrets or CLI input.

/** Invalid input (exit code 4). Carries every problem found, not only the first. */
export class InputError extends Error {
  constructor(readonly problems: string[]) {
    super(
      problems.length === 1
        ? problems[0]
        : `${problems.length} problems:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`,
    );
    this.name = "InputError";
  }
}
