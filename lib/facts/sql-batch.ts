// Batched SQL probes: every pure-SQL probe of one exec runs in ONE client session (a dozen client starts
// were most of a database host's no-op), each resource still reading the rows its own statements print.
import { quote } from "../shell.ts";

/** First line of a SQL probe the runner may answer from the batch. */
export const SQL_BATCH_PREFIX = "# foobar:sql ";
const END = "__FOOBAR_SQL_END__";
const marker = (index: number) => `__FOOBAR_SQL_${index}__`;

interface SqlProbe {
  client: string;
  sql: string;
}

const encode = (probe: SqlProbe) => Buffer.from(JSON.stringify(probe)).toString("base64url");

function decode(argument: string): SqlProbe | undefined {
  try {
    const value = JSON.parse(Buffer.from(argument, "base64url").toString()) as SqlProbe;
    return typeof value.client === "string" && /^[a-z]+$/.test(value.client) && typeof value.sql === "string" && !value.sql.includes(END) ? value : undefined;
  } catch {
    return undefined;
  }
}

export function sqlBatchable(argument: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(argument) && decode(argument) !== undefined;
}

/** The statements run as root over the socket by themselves; an error (e.g. a missing account) ends only its statement. */
export function sqlCommand(client: string, statements: readonly string[]): string {
  return `${client} --batch --skip-column-names --force -e ${quote(statements.join(";\n"))} 2>/dev/null || true`;
}

/** A read-only SQL probe the runner may answer from the batch session (sqlCommand otherwise). */
export function sqlProbe(client: string, statements: readonly string[]): string {
  return `${SQL_BATCH_PREFIX}${encode({ client, sql: statements.join(";\n") })}\n${sqlCommand(client, statements)}`;
}

/** One session for all the probes: each probe's statements preceded by a marker row. */
export function sqlBatchScript(argumentsList: readonly string[]): string {
  const probes = argumentsList.map((argument) => decode(argument)!);
  const body = probes.map((probe, index) => `SELECT '${marker(index)}';\n${probe.sql};`).join("\n");
  return `${probes[0]!.client} --batch --skip-column-names --force 2>/dev/null <<'${END}'\n${body}\n${END}\ntrue`;
}

export function splitSqlBatch(output: string, argumentsList: readonly string[]): Map<string, string> {
  const sections: string[] = argumentsList.map(() => "");
  let current = -1;
  for (const line of output.replace(/\n$/, "").split("\n")) {
    const index = /^__FOOBAR_SQL_(\d+)__$/.exec(line)?.[1];
    if (index !== undefined) current = Number(index);
    else if (current >= 0 && current < sections.length) sections[current] += `${line}\n`;
  }
  return new Map(argumentsList.map((argument, index) => [argument, sections[index]!]));
}
