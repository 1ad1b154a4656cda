// Batched SQL probes: every pure-SQL probe of one exec runs in ONE client session (a dozen client starts
// were most of a database host's no-op), each resource still reading the rows its own statements print.
import { quote } from "../shell.ts";

/** First line of a SQL probe the runner may answer from the batch. */
export const SQL_BATCH_PREFIX = "# foobar:sql ";
const END = "__FOOBAR_SQL_END__";
const MARKER = /^__FOOBAR_SQL_(\d+)_(\d+)__$/;
const marker = (probe: number, statement: number) => `__FOOBAR_SQL_${probe}_${statement}__`;
/** A statement ended by the client's \G prints its rows vertically, each value after its column name. */
const isVertical = (statement: string) => statement.endsWith("\\G");

interface SqlProbe {
  client: string;
  statements: string[];
  /** Column names printed: a header line before each non-empty result (and the names in \G output). */
  columnNames: boolean;
}

export interface SqlProbeOptions {
  /** Print column names, e.g. for `SHOW REPLICA STATUS\G`, whose columns differ between servers (default: off). */
  columnNames?: boolean;
}

const encode = (probe: SqlProbe) => Buffer.from(JSON.stringify(probe)).toString("base64url");

function decode(argument: string): SqlProbe | undefined {
  try {
    const value = JSON.parse(Buffer.from(argument, "base64url").toString()) as SqlProbe;
    const statementsOk = Array.isArray(value.statements) && value.statements.every((statement) => typeof statement === "string" && !statement.includes(END) && !statement.includes("__FOOBAR_SQL_"));
    // Without column names, \G output would be bare values the batch (which prints names) cannot reproduce.
    const verticalOk = value.columnNames === true || !value.statements.some(isVertical);
    return typeof value.client === "string" && /^[a-z]+$/.test(value.client) && statementsOk && verticalOk && typeof value.columnNames === "boolean" ? value : undefined;
  } catch {
    return undefined;
  }
}

export function sqlBatchable(argument: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(argument) && decode(argument) !== undefined;
}

/** The statements run as root over the socket by themselves; an error (e.g. a missing account) ends only its statement. */
export function sqlCommand(client: string, statements: readonly string[], options: SqlProbeOptions = {}): string {
  return `${client} --batch ${options.columnNames ? "" : "--skip-column-names "}--force -e ${quote(statements.join(";\n"))} 2>/dev/null || true`;
}

/** A read-only SQL probe the runner may answer from the batch session (sqlCommand otherwise). */
export function sqlProbe(client: string, statements: readonly string[], options: SqlProbeOptions = {}): string {
  const probe: SqlProbe = { client, statements: [...statements], columnNames: options.columnNames ?? false };
  return `${SQL_BATCH_PREFIX}${encode(probe)}\n${sqlCommand(client, statements, options)}`;
}

/**
 * One session for all the probes, with column names: each statement preceded by a marker row, so the header line of
 * a probe that prints no names can be dropped statement by statement (an empty result prints no header).
 */
export function sqlBatchScript(argumentsList: readonly string[]): string {
  const probes = argumentsList.map((argument) => decode(argument)!);
  const body = probes.flatMap((probe, index) => probe.statements.map((statement, position) => `SELECT '${marker(index, position)}';\n${statement}${isVertical(statement) ? "" : ";"}`));
  return `${probes[0]!.client} --batch --force 2>/dev/null <<'${END}'\n${body.join("\n")}\n${END}\ntrue`;
}

export function splitSqlBatch(output: string, argumentsList: readonly string[]): Map<string, string> {
  const probes = argumentsList.map((argument) => decode(argument)!);
  const sections = probes.map((probe) => probe.statements.map(() => [] as string[]));
  let current: string[] | undefined;
  for (const line of output.replace(/\n$/, "").split("\n")) {
    const found = MARKER.exec(line);
    if (found) current = sections[Number(found[1])]?.[Number(found[2])];
    else current?.push(line);
  }
  const answer = (probe: SqlProbe, index: number) =>
    sections[index]!.flatMap((lines) => (probe.columnNames ? lines : lines.slice(1))).map((line) => `${line}\n`).join("");
  return new Map(argumentsList.map((argument, index) => [argument, answer(probes[index]!, index)]));
}
