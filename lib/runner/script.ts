// The wire protocol of one exec: apply steps and typed probes framed in one sh script, and its parser.
import { randomBytes } from "node:crypto";
import type { PlannedSection, ScriptPlan, Step } from "../connection/script-plan.ts";
import { answerBatches, batchScript, batchStatPaths, planBatches, type BatchPlan } from "../facts/probe-batch.ts";
import { BATCH_ORDER, renderProbe, type ShellPiece } from "../facts/probe-kinds.ts";
import { blockKey, FRESH_FUNCTION, ProbeMemo, type MemoBlock } from "../facts/probe-memo.ts";
import { partsOf, type Probe, type ProbeKind } from "../facts/probe.ts";
import { NO_STAT, parseStatLines, statPathsCommand, type SharedStat } from "../facts/shared-stat.ts";

/** Every script starts from a known environment: C locale and stat's default name quoting for parsers, a full PATH. */
const PRELUDE =
  "export LC_ALL=C QUOTING_STYLE=shell-escape-always PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\n";

/** One framed result: the section's output and its exit status. */
export interface Section {
  output: string;
  status: number;
}

export interface Script {
  text: string;
  /** The same script as values (sections by label), for transports that answer without a shell. */
  plan: ScriptPlan;
  boundary: string;
  batches: BatchPlan;
  /** The paths of the shared stat (section v0), which batches and memo blocks read; empty when there is none. */
  statPaths: ReadonlySet<string>;
  /** Memo blocks in this script: key → the paths the block depends on. */
  blocks: Map<string, readonly string[]>;
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

const asStep = (step: string | Step): Step => (typeof step === "string" ? { script: step } : step);
const batchLabel = (kind: ProbeKind) => `b${BATCH_ORDER.indexOf(kind)}`;

/**
 * Build a script of `steps` (each run under `set -e`, output and stderr kept; the script stops
 * after the first failing step) followed by `probes` (read-only, stdout only, each isolated
 * in a subshell so one failing cannot corrupt another's result). Memo blocks in the probes are
 * answered from `memo` when the shared stat shows their files unchanged.
 */
export function buildScript(
  steps: readonly (string | Step)[],
  probes: readonly Probe[],
  memo = new ProbeMemo(null),
  boundary = newBoundary(),
): Script {
  let text = PRELUDE;
  const planned: PlannedSection[] = [];
  steps.map(asStep).forEach((step, index) => {
    text += `(\nset -e\n${step.script}\n) </dev/null 2>&1; st=$?\n${frame(boundary, `s${index}`)}\n[ "$st" -eq 0 ] || exit 0\n`;
    planned.push({ label: `s${index}`, step });
  });
  // Probes of a batchable kind (file stats, unit states, SQL, packages) share one command per kind (facts/probe-batch.ts).
  const batches = planBatches(probes);
  const statPaths = batchStatPaths(batches);
  // Batch sections run in a brace group (no fork: the engine writes them); a probe of its own gets a subshell.
  const sections: { label: string; pieces: ShellPiece[]; own: boolean }[] = [];
  for (const batch of batches.batches) {
    const pieces = batchScript(batch);
    if (!pieces) continue;
    sections.push({ label: batchLabel(batch.kind), pieces, own: false });
    planned.push({ label: batchLabel(batch.kind), batch: batch.kind, members: batch.members });
  }
  probes.forEach((probe, index) => {
    if (batches.slots.has(index)) return;
    sections.push({ label: `p${index}`, pieces: renderProbe(partsOf(probe)), own: true });
    planned.push({ label: `p${index}`, probe: partsOf(probe) });
  });
  const blocks = new Map<string, readonly string[]>();
  const gate = (block: MemoBlock) => {
    const key = blockKey(block);
    blocks.set(key, block.paths);
    statPaths.push(...memo.statPaths(key, block.paths));
    return { key, condition: memo.gate(key) };
  };
  let probeText = "";
  for (const section of sections) {
    const close = `</dev/null 2>/dev/null; st=$?\n${frame(boundary, section.label)}\n`;
    const group = (body: string) => (section.own ? `(\n${body}\n) ${close}` : `{\n${body}\n} ${close}`);
    const [only] = section.pieces;
    if (section.own && section.pieces.length === 1 && typeof only === "object") {
      // A probe that is one block: its gate stands outside the subshell, so an answer from the memo forks nothing.
      const { key, condition } = gate(only);
      const run = group(captured(key, only.body));
      probeText += condition
        ? `if ${condition}; then echo ${memoMarker(key)}; st=0\n${frame(boundary, section.label)}\nelse\n${run}fi\n`
        : run;
      continue;
    }
    const body = section.pieces.map((piece) => {
      if (typeof piece === "string") return piece;
      const { key, condition } = gate(piece);
      return condition
        ? `if ${condition}; then echo ${memoMarker(key)}; else\n${captured(key, piece.body)}\nfi`
        : captured(key, piece.body);
    });
    probeText += group(body.join("\n"));
  }
  const asked = new Set(statPaths);
  if (asked.size > 0)
    text += `{\n${statPathsCommand([...asked])}\n} </dev/null; st=0\n${frame(boundary, "v0")}\n${blocks.size > 0 ? `${FRESH_FUNCTION}\n${memo.sameStatCheck()}\n` : ""}`;
  return {
    text: text + probeText,
    plan: { boundary, sections: planned },
    boundary,
    batches,
    statPaths: asked,
    blocks,
    memo,
  };
}

export interface ScriptResult {
  steps: Section[];
  probes: Section[];
}

/** A section's output with its memo blocks resolved: saved answers put in, fresh outputs unframed and saved. */
function resolveBlocks(output: string, script: Pick<Script, "blocks" | "memo">, stat = NO_STAT): string {
  return output.replace(
    /__FOOBAR_MEMO_([0-9a-f]+)(?:__\n|_BEGIN__\n([\s\S]*?)\n__FOOBAR_MEMO_\1_END__\n)/g,
    (_all, key: string, fresh?: string) => {
      const paths = script.blocks.get(key);
      if (!paths) throw new Error(`script output names an unknown memo block ${key}`);
      if (fresh !== undefined) {
        script.memo.record(key, paths, fresh, stat);
        return fresh;
      }
      const saved = script.memo.answer(key, stat);
      if (saved === undefined)
        throw new Error(`memo block ${key} was answered from the memo, but its files' stat lines differ`);
      return saved;
    },
  );
}

/** Split the output of a buildScript() run back into its sections (batched probes filled in from their batch). */
export function parseScriptOutput(
  stdout: string,
  script: Pick<Script, "boundary" | "batches" | "statPaths" | "blocks" | "memo">,
): ScriptResult {
  const result: ScriptResult = { steps: [], probes: [] };
  const marker = new RegExp(`\\n${script.boundary} ([spbv])(\\d+) (\\d+)\\n`, "g");
  const own = new Map<number, Section>();
  const batchOutputs = new Map<ProbeKind, string>();
  let stat: SharedStat | undefined;
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
    } else if (match[1] === "b") batchOutputs.set(BATCH_ORDER[index]!, resolveBlocks(output, script, stat));
    else own.set(index, { output: resolveBlocks(output, script, stat), status: Number(match[3]) });
  }
  const batched = answerBatches(script.batches, batchOutputs, stat);
  // Probes in order, up to the first one with no answer (a script cut short).
  for (let index = 0; ; index++) {
    const answer = batched.get(index);
    const section = batched.has(index)
      ? answer === undefined
        ? undefined
        : { output: answer, status: 0 }
      : own.get(index);
    if (!section) break;
    result.probes.push(section);
  }
  return result;
}

/**
 * For -vv: the script with here-document bodies (file contents, SQL with passwords) left out, also where the
 * here-document's line goes on (`base64 -d <<'X' | mariadb`).
 */
export function redactHeredocs(text: string): string {
  return text.replace(
    /<<'__FOOBAR_B64__'([^\n]*)\n([\s\S]*?)__FOOBAR_B64__/g,
    (_all, rest: string, body: string) =>
      `<<'__FOOBAR_B64__'${rest}\n[${Math.floor((body.replace(/\n/g, "").length * 3) / 4)} bytes]\n__FOOBAR_B64__`,
  );
}
