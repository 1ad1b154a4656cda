// Test support: what code run in this process printed, with stdout a TTY or not and NO_COLOR set or not.
export interface Printed {
  stdout: string;
  stderr: string;
}

/** What `act` printed (stdout's writes and console.log; console.error), with stdout a TTY or not and NO_COLOR set or not. */
export async function printed(
  act: () => unknown,
  terminal: { tty?: boolean; noColor?: boolean } = {},
): Promise<Printed> {
  const out: Printed = { stdout: "", stderr: "" };
  const { log, error } = console;
  const write = process.stdout.write;
  const tty = Object.getOwnPropertyDescriptor(process.stdout, "isTTY");
  const noColor = process.env.NO_COLOR;
  const exitCode = process.exitCode;
  console.log = (...parts: unknown[]) => {
    out.stdout += `${parts.join(" ")}\n`;
  };
  console.error = (...parts: unknown[]) => {
    out.stderr += `${parts.join(" ")}\n`;
  };
  process.stdout.write = ((text: string) => {
    out.stdout += text;
    return true;
  }) as typeof process.stdout.write;
  Object.defineProperty(process.stdout, "isTTY", { value: terminal.tty ?? false, configurable: true });
  if (terminal.noColor) process.env.NO_COLOR = "1";
  else delete process.env.NO_COLOR;
  try {
    await act();
  } finally {
    Object.assign(console, { log, error });
    process.stdout.write = write;
    if (tty) Object.defineProperty(process.stdout, "isTTY", tty);
    else delete (process.stdout as { isTTY?: boolean }).isTTY;
    if (noColor === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = noColor;
    process.exitCode = exitCode;
  }
  return out;
}
