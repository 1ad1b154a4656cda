// Test support: what a call threw, as "ErrorClass: message", or "no error", so one assertion names both the kind and the words.
export function thrown(run: () => unknown): string {
  try {
    run();
    return "no error";
  } catch (error) {
    return `${(error as Error).constructor.name}: ${(error as Error).message}`;
  }
}
