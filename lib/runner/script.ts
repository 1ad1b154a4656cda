// The wire protocol of one exec: framed probes and apply steps in one sh script, and its parser.
import { randomBytes } from "node:crypto";

/** Every script starts from a known environment: C locale for parsers, a full PATH for sbin tools. */
const PRELUDE = "export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n";

/** One framed result: the section's output and its exit status. */
export interface Section {
  output: string;
  status: number;
}

export interface Script {
  text: string;
  boundary: string;
}

export function newBoundary(): string {
  return `__FOOBAR_${randomBytes(12).toString("hex")}__`;
}

function frame(boundary: string, label: string): string {
  return `printf '\\n%s %s %d\\n' ${boundary} ${label} "$st"`;
}

/**
 * Build a script of `steps` (each run under `set -e`, output and stderr kept; the script stops
 * after the first failing step) followed by `probes` (read-only, stdout only, each isolated
 * in a subshell so one failing cannot corrupt another's result).
 */
export function buildScript(steps: readonly string[], probes: readonly string[], boundary = newBoundary()): Script {
  let text = PRELUDE;
  steps.forEach((step, index) => {
    text += `(\nset -e\n${step}\n) </dev/null 2>&1; st=$?\n${frame(boundary, `s${index}`)}\n[ "$st" -eq 0 ] || exit 0\n`;
  });
  probes.forEach((probe, index) => {
    text += `(\n${probe}\n) </dev/null 2>/dev/null; st=$?\n${frame(boundary, `p${index}`)}\n`;
  });
  return { text, boundary };
}

export interface ScriptResult {
  steps: Section[];
  probes: Section[];
}

/** Split the output of a buildScript() run back into its sections. */
export function parseScriptOutput(stdout: string, boundary: string): ScriptResult {
  const result: ScriptResult = { steps: [], probes: [] };
  const marker = new RegExp(`\\n${boundary} ([sp])(\\d+) (\\d+)\\n`, "g");
  let start = 0;
  for (const match of stdout.matchAll(marker)) {
    const section = { output: stdout.slice(start, match.index), status: Number(match[3]) };
    const list = match[1] === "s" ? result.steps : result.probes;
    if (Number(match[2]) !== list.length) throw new Error(`script output out of order at section ${match[1]}${match[2]}`);
    list.push(section);
    start = match.index! + match[0].length;
  }
  return result;
}

/** For -vv: the script with here-document bodies (file contents, maybe secrets) left out. */
export function redactHeredocs(text: string): string {
  return text.replace(/<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/g, (_all, body: string) => `<<'__FOOBAR_B64__'\n[${Math.floor((body.replace(/\n/g, "").length * 3) / 4)} bytes]\n__FOOBAR_B64__`);
}

/** The inverse of buildScript (for the fake transport): the step and probe snippets of a script. */
export function splitScript(text: string): { boundary: string; steps: string[]; probes: string[] } | null {
  const boundary = /printf '\\n%s %s %d\\n' (__FOOBAR_[0-9a-f]+__) /.exec(text)?.[1];
  if (!boundary) return null;
  const steps: string[] = [];
  const probes: string[] = [];
  const section = /\(\n(set -e\n)?([\s\S]*?)\n\) <\/dev\/null 2>(&1|\/dev\/null); st=\$\?\n/g;
  for (const match of text.matchAll(section)) (match[1] ? steps : probes).push(match[2]!);
  return { boundary, steps, probes };
}
