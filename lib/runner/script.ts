// The wire protocol of one exec: framed probes and apply steps in one sh script, and its parser.
import { randomBytes } from "node:crypto";
import { BATCH_KINDS, batchOf, type BatchPart } from "./probe-batch.ts";

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
  /** Probe index → the batch answers it is made of, for probes answered by batch sections instead of their own. */
  batched: Map<number, BatchPart[]>;
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
  // Probes of a batchable kind (file stats, unit states, SQL, packages) share one command per kind when there are two or
  // more, or when a probe combining several kinds needs it: a no-op's cost on the host is mostly process starts.
  const candidates = new Map<number, BatchPart[]>();
  probes.forEach((probe, index) => {
    const parts = batchOf(probe);
    if (parts) candidates.set(index, parts);
  });
  const allParts = [...candidates.values()];
  const formed = BATCH_KINDS.map((_kind, kindIndex) => {
    const users = allParts.filter((parts) => parts.some((part) => part.kind === kindIndex));
    return users.length >= 2 || users.some((parts) => parts.length > 1);
  });
  const batched = new Map([...candidates].filter(([, parts]) => parts.every((part) => formed[part.kind])));
  BATCH_KINDS.forEach((kind, kindIndex) => {
    const members = [...batched.values()].flat().filter((part) => part.kind === kindIndex);
    if (members.length > 0) text += `(\n${kind.script(members.map((part) => part.argument))}\n) </dev/null 2>/dev/null; st=$?\n${frame(boundary, `b${kindIndex}`)}\n`;
  });
  probes.forEach((probe, index) => {
    if (!batched.has(index)) text += `(\n${probe}\n) </dev/null 2>/dev/null; st=$?\n${frame(boundary, `p${index}`)}\n`;
  });
  return { text, boundary, batched };
}

export interface ScriptResult {
  steps: Section[];
  probes: Section[];
}

/** Split the output of a buildScript() run back into its sections (batched probes filled in from their batch). */
export function parseScriptOutput(stdout: string, script: Pick<Script, "boundary" | "batched">): ScriptResult {
  const result: ScriptResult = { steps: [], probes: [] };
  const marker = new RegExp(`\\n${script.boundary} ([spb])(\\d+) (\\d+)\\n`, "g");
  const own = new Map<number, Section>();
  const batches = new Map<number, Map<string, string>>();
  let start = 0;
  for (const match of stdout.matchAll(marker)) {
    const output = stdout.slice(start, match.index);
    const index = Number(match[2]);
    start = match.index! + match[0].length;
    if (match[1] === "s") {
      if (index !== result.steps.length) throw new Error(`script output out of order at section s${index}`);
      result.steps.push({ output, status: Number(match[3]) });
    } else if (match[1] === "b") {
      const members = [...script.batched.values()].flat().filter((part) => part.kind === index).map((part) => part.argument);
      batches.set(index, BATCH_KINDS[index]!.split(output, members));
    } else own.set(index, { output, status: Number(match[3]) });
  }
  // Probes in order, up to the first one with no answer (a script cut short).
  for (let index = 0; ; index++) {
    const parts = script.batched.get(index);
    const answers = parts?.map((part) => batches.get(part.kind)?.get(part.argument));
    const section = answers ? (answers.every((answer) => answer !== undefined) ? { output: answers.join(""), status: 0 } : undefined) : own.get(index);
    if (!section) break;
    result.probes.push(section);
  }
  return result;
}

/**
 * For -vv: the script with here-document bodies (file contents, maybe secrets) left out, and the encoded payload of
 * batchable probe markers too (a SQL probe's statements can hold a password hash; the plain text is masked, base64 would not be).
 */
export function redactHeredocs(text: string): string {
  return text.replace(/^(# foobar:\w+ )\S{48,}$/gm, "$1[encoded probe]").replace(/<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/g, (_all, body: string) => `<<'__FOOBAR_B64__'\n[${Math.floor((body.replace(/\n/g, "").length * 3) / 4)} bytes]\n__FOOBAR_B64__`);
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
