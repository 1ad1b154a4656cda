// Batched package probe: the package probes of one exec answered by one dpkg-query
// for all their packages; each probe gets the lines its own probe would print.
import { packagesQuery } from "./packages.ts";

const namesOf = (argument: string) => argument.split(",");

export function packageBatchScript(argumentsList: readonly string[]): string {
  return packagesQuery([...new Set(argumentsList.flatMap(namesOf))]);
}

/** Per probe, its packages' dpkg-query lines (a line's name may carry an :arch suffix). */
export function splitPackageBatch(output: string, argumentsList: readonly string[]): Map<string, string> {
  const lines = output.split("\n").filter((line) => line.trim());
  const answers = new Map<string, string>();
  for (const argument of argumentsList) {
    const names = new Set(namesOf(argument));
    answers.set(argument, lines.filter((line) => names.has(line.split("\t")[0]!.replace(/:.*$/, ""))).map((line) => `${line}\n`).join(""));
  }
  return answers;
}
