// The wire protocol of one exec: framed probes and apply steps in one sh script, and its parser.
import { randomBytes } from "node:crypto";
import { batchedPath, splitStatBatch, statBatchScript } from "../facts/stat-batch.ts";

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
  /** Probe index → path, for stat probes answered by the batch section instead of their own. */
  batched: Map<number, string>;
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
  const batched = new Map<number, string>();
  probes.forEach((probe, index) => {
    const path = batchedPath(probe);
    if (path !== undefined) batched.set(index, path);
  });
  // Two or more file probes: one stat + one sha256sum for all of them (a no-op's cost is mostly process starts).
  if (batched.size < 2) batched.clear();
  else text += `(\n${statBatchScript([...batched.values()])}\n) </dev/null 2>/dev/null; st=$?\n${frame(boundary, "b0")}\n`;
  probes.forEach((probe, index) => {
    if (!batched.has(index)) text += `(\n${probe}\n) </dev/null 2>/dev/null; st=$?\n${frame(boundary, `p${index}`)}\n`;
  });
  return { text, boundary, batched };
}

export interface ScriptResult {
  steps: Section[];
  probes: Section[];
}

/** Split the output of a buildScript() run back into its sections (batched stat probes filled in from the batch). */
export function parseScriptOutput(stdout: string, script: Pick<Script, "boundary" | "batched">): ScriptResult {
  const result: ScriptResult = { steps: [], probes: [] };
  const marker = new RegExp(`\\n${script.boundary} ([spb])(\\d+) (\\d+)\\n`, "g");
  let start = 0;
  let batch: Map<string, string> | undefined;
  const fillBatched = () => {
    while (batch && script.batched.has(result.probes.length)) result.probes.push({ output: batch.get(script.batched.get(result.probes.length)!)!, status: 0 });
  };
  for (const match of stdout.matchAll(marker)) {
    const output = stdout.slice(start, match.index);
    start = match.index! + match[0].length;
    if (match[1] === "b") {
      batch = splitStatBatch(output, [...script.batched.values()]);
      fillBatched();
      continue;
    }
    const list = match[1] === "s" ? result.steps : result.probes;
    if (Number(match[2]) !== list.length) throw new Error(`script output out of order at section ${match[1]}${match[2]}`);
    list.push({ output, status: Number(match[3]) });
    if (match[1] === "p") fillBatched();
  }
  return result;
}

/** For -vv: the script with here-document bodies (file contents, maybe secrets) left out. */
export function redactHeredocs(text: string): string {
  return text.replace(/<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/g, (_all, body: string) => `<<'__FOOBAR_B64__'\n[${Math.floor((body.replace(/\n/g, "").length * 3) / 4)} bytes]\n__FOOBAR_B64__`);
}

/** The inverse of buildScript (for the fake transport): the step and probe snippets of a script, with their frame labels. */
export function splitScript(text: string): { boundary: string; steps: string[]; probes: { label: string; snippet: string }[] } | null {
  const boundary = /printf '\\n%s %s %d\\n' (__FOOBAR_[0-9a-f]+__) /.exec(text)?.[1];
  if (!boundary) return null;
  const steps: string[] = [];
  const probes: { label: string; snippet: string }[] = [];
  const section = /\(\n(set -e\n)?([\s\S]*?)\n\) <\/dev\/null 2>(&1|\/dev\/null); st=\$\?\nprintf '\\n%s %s %d\\n' __FOOBAR_[0-9a-f]+__ ([spb]\d+) /g;
  for (const match of text.matchAll(section)) {
    if (match[1]) steps.push(match[2]!);
    else probes.push({ label: match[4]!, snippet: match[2]! });
  }
  return { boundary, steps, probes };
}
