// Batched SQL probes: every pure-SQL probe of one exec runs in ONE client session (a dozen client starts
// were most of a database host's no-op), each resource still reading the rows its own statements print.
import { quote } from "../shell.ts";
import type { SqlProbe } from "./probe.ts";

const END = "__FOOBAR_SQL_END__";
const MARKER = /^__FOOBAR_SQL_(\d+)_(\d+)__$/;
const marker = (probe: number, statement: number) => `__FOOBAR_SQL_${probe}_${statement}__`;
/** A statement ended by the client's \G prints its rows vertically, each value after its column name. */
const isVertical = (statement: string) => statement.endsWith("\\G");

export interface SqlProbeOptions {
  /** Print column names, e.g. for `SHOW REPLICA STATUS\G`, whose columns differ between servers (default: off). */
  columnNames?: boolean;
}

/** A client name, with plain options such as `--skip-ssl` or `--ssl-mode=DISABLED`. */
const PLAIN_CLIENT = /^[a-z]+( --[a-z-]+(=[A-Z]+)?)*$/;

/** A probe the batch session can answer exactly: a plain client, no marker text, \G only with column names. */
export function sqlBatchable(probe: SqlProbe): boolean {
  const statementsOk = probe.statements.every(
    (statement) => !statement.includes(END) && !statement.includes("__FOOBAR_SQL_"),
  );
  // Without column names, \G output would be bare values the batch (which prints names) cannot reproduce.
  const verticalOk = probe.columnNames || !probe.statements.some(isVertical);
  return PLAIN_CLIENT.test(probe.client) && statementsOk && verticalOk;
}

/** The statements run as root over the socket by themselves; an error (e.g. a missing account) ends only its statement. */
function sqlCommand(client: string, statements: readonly string[], options: SqlProbeOptions = {}): string {
  return `${client} --batch ${options.columnNames ? "" : "--skip-column-names "}--force -e ${quote(statements.join(";\n"))} 2>/dev/null || true`;
}

/** A read-only SQL probe the runner may answer from the batch session (sqlCommand otherwise). */
export function sqlProbe(client: string, statements: readonly string[], options: SqlProbeOptions = {}): SqlProbe {
  return { kind: "sql", client, statements: [...statements], columnNames: options.columnNames ?? false };
}

/** The probe on its own. */
export function sqlScript(probe: SqlProbe): string {
  return sqlCommand(probe.client, probe.statements, { columnNames: probe.columnNames });
}

/**
 * One session for all the probes, with column names: each statement preceded by a marker row, so the header line of
 * a probe that prints no names can be dropped statement by statement (an empty result prints no header).
 */
export function sqlBatchScript(probes: readonly SqlProbe[]): string {
  const body = probes.flatMap((probe, index) =>
    probe.statements.map(
      (statement, position) => `SELECT '${marker(index, position)}';\n${statement}${isVertical(statement) ? "" : ";"}`,
    ),
  );
  return `${probes[0]!.client} --batch --force 2>/dev/null <<'${END}'\n${body.join("\n")}\n${END}\ntrue`;
}

export function splitSqlBatch(output: string, probes: readonly SqlProbe[]): string[] {
  const sections = probes.map((probe) => probe.statements.map(() => [] as string[]));
  let current: string[] | undefined;
  for (const line of output.replace(/\n$/, "").split("\n")) {
    const found = MARKER.exec(line);
    if (found) current = sections[Number(found[1])]?.[Number(found[2])];
    else current?.push(line);
  }
  const answer = (probe: SqlProbe, index: number) =>
    sections[index]!.flatMap((lines) => (probe.columnNames ? lines : lines.slice(1)))
      .map((line) => `${line}\n`)
      .join("");
  return probes.map(answer);
}
