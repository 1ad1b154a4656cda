// The wire protocol of one exec: framed probes and apply steps in one sh script, and its parser.
import { randomBytes } from "node:crypto";
import { BATCH_KINDS, batchOf, type BatchPart } from "./probe-batch.ts";
import { blockKey, FRESH_FUNCTION, hasMemoBlock, MEMO_BLOCK, ProbeMemo, wholeBlock } from "./probe-memo.ts";
import { NO_STAT, parseStatLines, statPathsCommand, type SharedStat } from "./shared-stat.ts";

/** Every script starts from a known environment: C locale and stat's default name quoting for parsers, a full PATH. */
const PRELUDE = "export LC_ALL=C QUOTING_STYLE=shell-escape-always PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n";

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
  /** The paths of the shared stat (section v0), which batches and memo blocks read; empty when there is none. */
  statPaths: ReadonlySet<string>;
  /** Memo blocks in this script: key → the paths the block depends on. */
  blocks: Map<string, string[]>;
  memo: ProbeMemo;
}

export function newBoundary(): string {
  return `__FOOBAR_${randomBytes(12).toString("hex")}__`;
}

function frame(boundary: string, label: string): string {
  return `printf '\\n%s %s %d\\n' ${boundary} ${label} "$st"`;
}

const memoMarker = (key: string, part = "") => `__FOOBAR_MEMO_${key}${part}__`;

/** A block's output framed so the parser can save it: begin line, output, newline, end line. */
function captured(key: string, body: string): string {
  return `echo ${memoMarker(key, "_BEGIN")}\n${body}\nprintf '\\n%s\\n' ${memoMarker(key, "_END")}`;
}

/**
 * Build a script of `steps` (each run under `set -e`, output and stderr kept; the script stops
 * after the first failing step) followed by `probes` (read-only, stdout only, each isolated
 * in a subshell so one failing cannot corrupt another's result). Memo blocks in the probes are
 * answered from `memo` when the shared stat shows their files unchanged.
 */
export function buildScript(steps: readonly string[], probes: readonly string[], memo = new ProbeMemo(null), boundary = newBoundary()): Script {
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
  const statPaths: string[] = [];
  // Batch sections run in a brace group (no fork: the engine writes them); a probe of its own gets a subshell.
  const sections: { label: string; body: string; own: boolean }[] = [];
  BATCH_KINDS.forEach((kind, kindIndex) => {
    const members = [...batched.values()].flat().filter((part) => part.kind === kindIndex).map((part) => part.argument);
    if (members.length === 0) return;
    statPaths.push(...(kind.statPaths?.(members) ?? []));
    if (kind.script) sections.push({ label: `b${kindIndex}`, body: kind.script(members), own: false });
  });
  probes.forEach((probe, index) => {
    if (!batched.has(index)) sections.push({ label: `p${index}`, body: probe, own: true });
  });
  const blocks = new Map<string, string[]>();
  const gate = (key: string, paths: string) => {
    const list = paths.split(" ").filter(Boolean);
    blocks.set(key, list);
    statPaths.push(...memo.statPaths(key, list));
    return memo.gate(key);
  };
  let probeText = "";
  for (const section of sections) {
    const close = `</dev/null 2>/dev/null; st=$?\n${frame(boundary, section.label)}\n`;
    const group = (body: string) => (section.own ? `(\n${body}\n) ${close}` : `{\n${body}\n} ${close}`);
    if (!hasMemoBlock(section.body)) {
      probeText += group(section.body);
      continue;
    }
    const whole = section.own ? wholeBlock(section.body) : undefined;
    if (whole) {
      // A probe that is one block: its gate stands outside the subshell, so an answer from the memo forks nothing.
      const key = blockKey(whole.paths, whole.body);
      const condition = gate(key, whole.paths);
      const run = group(captured(key, whole.body));
      probeText += condition ? `if ${condition}; then echo ${memoMarker(key)}; st=0\n${frame(boundary, section.label)}\nelse\n${run}fi\n` : run;
      continue;
    }
    const body = section.body.replace(MEMO_BLOCK, (_all, paths: string, inner: string) => {
      const key = blockKey(paths, inner);
      const condition = gate(key, paths);
      return condition ? `if ${condition}; then echo ${memoMarker(key)}; else\n${captured(key, inner)}\nfi` : captured(key, inner);
    });
    probeText += group(body);
  }
  const asked = new Set(statPaths);
  if (asked.size > 0) text += `{\n${statPathsCommand([...asked])}\n} </dev/null; st=0\n${frame(boundary, "v0")}\n${blocks.size > 0 ? `${FRESH_FUNCTION}\n${memo.sameStatCheck()}\n` : ""}`;
  return { text: text + probeText, boundary, batched, statPaths: asked, blocks, memo };
}

export interface ScriptResult {
  steps: Section[];
  probes: Section[];
}

/** A section's output with its memo blocks resolved: saved answers put in, fresh outputs unframed and saved. */
function resolveBlocks(output: string, script: Pick<Script, "blocks" | "memo">, stat: SharedStat): string {
  return output.replace(/__FOOBAR_MEMO_([0-9a-f]+)(?:__\n|_BEGIN__\n([\s\S]*?)\n__FOOBAR_MEMO_\1_END__\n)/g, (_all, key: string, fresh?: string) => {
    const paths = script.blocks.get(key);
    if (!paths) throw new Error(`script output names an unknown memo block ${key}`);
    if (fresh !== undefined) {
      script.memo.record(key, paths, fresh, stat);
      return fresh;
    }
    const saved = script.memo.answer(key, stat);
    if (saved === undefined) throw new Error(`memo block ${key} was answered from the memo, but its files' stat lines differ`);
    return saved;
  });
}

/** Split the output of a buildScript() run back into its sections (batched probes filled in from their batch). */
export function parseScriptOutput(stdout: string, script: Pick<Script, "boundary" | "batched" | "statPaths" | "blocks" | "memo">): ScriptResult {
  const result: ScriptResult = { steps: [], probes: [] };
  const marker = new RegExp(`\\n${script.boundary} ([spbv])(\\d+) (\\d+)\\n`, "g");
  const own = new Map<number, Section>();
  const batchOutputs = new Map<number, string>();
  let stat: SharedStat = NO_STAT;
  let start = 0;
  for (const match of stdout.matchAll(marker)) {
    const output = stdout.slice(start, match.index);
    const index = Number(match[2]);
    start = match.index! + match[0].length;
    if (match[1] === "s") {
      if (index !== result.steps.length) throw new Error(`script output out of order at section s${index}`);
      result.steps.push({ output, status: Number(match[3]) });
    } else if (match[1] === "v") {
      stat = parseStatLines(output, script.statPaths);
      if (script.blocks.size > 0) script.memo.rememberStat(output);
    } else if (match[1] === "b") batchOutputs.set(index, resolveBlocks(output, script, stat));
    else own.set(index, { output: resolveBlocks(output, script, stat), status: Number(match[3]) });
  }
  // A kind answered from the shared stat alone has no section of its own: it splits once the stat is there.
  const batches = new Map<number, Map<string, string>>();
  BATCH_KINDS.forEach((kind, kindIndex) => {
    const members = [...script.batched.values()].flat().filter((part) => part.kind === kindIndex).map((part) => part.argument);
    const output = kind.script ? batchOutputs.get(kindIndex) : stat === NO_STAT ? undefined : "";
    if (members.length > 0 && output !== undefined) batches.set(kindIndex, kind.split(output, members, stat));
  });
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
 * For -vv: the script with here-document bodies (file contents, SQL with passwords) left out, also where the
 * here-document's line goes on (`base64 -d <<'X' | mariadb`), and the encoded payload of
 * batchable probe markers too (a SQL probe's statements can hold a password hash; the plain text is masked, base64 would not be).
 */
export function redactHeredocs(text: string): string {
  return text.replace(/^(# foobar:\w+ )\S{48,}$/gm, "$1[encoded probe]").replace(/<<'__FOOBAR_B64__'([^\n]*)\n([\s\S]*?)__FOOBAR_B64__/g, (_all, rest: string, body: string) => `<<'__FOOBAR_B64__'${rest}\n[${Math.floor((body.replace(/\n/g, "").length * 3) / 4)} bytes]\n__FOOBAR_B64__`);
}

/** The inverse of buildScript (for the fake transport): the step and probe snippets of a script, with their frame labels. */
export function splitScript(text: string): { boundary: string; steps: string[]; probes: { label: string; snippet: string }[] } | null {
  const boundary = /printf '\\n%s %s %d\\n' (__FOOBAR_[0-9a-f]+__) /.exec(text)?.[1];
  if (!boundary) return null;
  const steps: string[] = [];
  const probes: { label: string; snippet: string }[] = [];
  const section = /[({]\n(set -e\n)?([\s\S]*?)\n[)}] <\/dev\/null 2>(&1|\/dev\/null); st=\$\?\nprintf '\\n%s %s %d\\n' __FOOBAR_[0-9a-f]+__ ([spb]\d+) /g;
  for (const match of text.matchAll(section)) {
    if (match[1]) steps.push(match[2]!);
    else probes.push({ label: match[4]!, snippet: match[2]! });
  }
  return { boundary, steps, probes };
}
