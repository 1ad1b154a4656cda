// The commands the manual shows (README.md and docs/*.md): test/lab/docs.test.ts runs each as typed, or .ci/run does.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface DocCommand {
  /** The page, relative to the repository. */
  file: string;
  line: number;
  /** The line as a reader would type it, comment included. */
  command: string;
  /** The exit code the page gives it with a trailing `# exit N`; 0 otherwise. */
  exitCode: number;
}

const ROOT = join(import.meta.dirname, "..");
/** In README.md, inline code that starts like this is a command too: README is what a newcomer types from. */
const COMMAND_START = /^(bin\/foobar-infra|npx|npm)( |$)/;
const EXPECTED_EXIT = /#\s*exit (\d)\s*$/;
const FENCE = /^(```|~~~)\s*(\S*)/;

/** README.md, then every page of docs/ by name. */
export function manualPages(): string[] {
  const pages = readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .sort()
    .map((name) => `docs/${name}`);
  return ["README.md", ...pages];
}

const docCommand = (file: string, line: number, command: string): DocCommand => ({
  file,
  line,
  command,
  exitCode: Number(EXPECTED_EXIT.exec(command)?.[1] ?? 0),
});

/** The commands of one page: each line of a ```sh block (comment lines aside), and in README its inline commands. */
export function docCommands(file: string, text = readFileSync(join(ROOT, file), "utf8")): DocCommand[] {
  const commands: DocCommand[] = [];
  let fence: string | undefined;
  text.split("\n").forEach((line, index) => {
    const marker = FENCE.exec(line);
    if (marker) {
      fence = fence === undefined ? marker[2]! : undefined;
      return;
    }
    if (fence !== undefined) {
      const typed = line.trim();
      if (fence === "sh" && typed && !typed.startsWith("#")) commands.push(docCommand(file, index + 1, typed));
      return;
    }
    if (file !== "README.md") return;
    for (const [, code] of line.matchAll(/`([^`]+)`/g))
      if (COMMAND_START.test(code!)) commands.push(docCommand(file, index + 1, code!));
  });
  return commands;
}

/** Every command of the manual, page by page. */
export function manualCommands(): DocCommand[] {
  return manualPages().flatMap((page) => docCommands(page));
}

/** True when .ci/run runs the command as typed: each `&&` part of it is a line of the script. */
export function runByCi(command: string, ciScript = readFileSync(join(ROOT, ".ci/run"), "utf8")): boolean {
  const lines = new Set(ciScript.split("\n").map((line) => line.trim()));
  return command
    .replace(/\s+#.*$/, "")
    .split("&&")
    .every((part) => lines.has(part.trim()));
}
