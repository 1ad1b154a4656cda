// The inventory's fields typed with the kit of formats (lib/value-formats.ts): each bad value named by environment, host or group, and field.
import * as formats from "../value-formats.ts";
import type { EnvironmentSpec, SshSettings } from "./types.ts";

/** A field's check and what it accepts, in words. */
interface FieldFormat {
  accepts: (value: unknown) => boolean;
  meaning: string;
}

const of = (format: formats.ValueFormat): FieldFormat => ({
  accepts: (value) => formats.matches(format, value),
  meaning: format.meaning,
});
const integer = (lowest: number, highest: number): FieldFormat => ({
  accepts: (value) => Number.isInteger(value) && (value as number) >= lowest && (value as number) <= highest,
  meaning: `an integer from ${lowest} to ${highest}`,
});
const ipAddress: FieldFormat = { accepts: formats.isIpAddress, meaning: "an IPv4 or IPv6 address" };
const address: FieldFormat = {
  accepts: (value) => formats.isIpAddress(value) || formats.isHostName(value),
  meaning: "a host name or an IPv4 or IPv6 address",
};

/** The SSH settings' formats (the environment's defaults, a host's own). */
const SSH_FIELDS: Record<Exclude<keyof SshSettings, "becomePassword">, FieldFormat> = {
  user: of(formats.userName),
  port: integer(1, 65535),
  key: of(formats.controllerPath),
  knownHosts: of(formats.controllerPath),
  connectTimeoutMs: integer(1, 600_000),
};

/** `field must be …, found …` for each field of `values` that `table` types and the value does not fit. */
function misfits(table: Record<string, FieldFormat>, values: object | undefined, prefix = ""): string[] {
  return Object.entries(table).flatMap(([field, format]) => {
    const value = (values as Record<string, unknown> | undefined)?.[field];
    return value === undefined || format.accepts(value)
      ? []
      : [`${prefix}${field} must be ${format.meaning}, found ${formats.quoted(value)}`];
  });
}

/** Every field of environment `name` that is not of its format, each naming where it is. */
export function fieldProblems(name: string, env: EnvironmentSpec): string[] {
  const where = `inventory ${name}`;
  const problems = [
    ...misfits({ description: of(formats.freeText), secretsFile: of(formats.controllerPath) }, env),
    ...misfits(SSH_FIELDS, env.ssh, "ssh."),
    ...misfits({ directory: of(formats.absolutePath()) }, env.runMetrics, "runMetrics."),
    ...misfits({ runs: integer(1, 100_000), days: integer(1, 36_500) }, env.runHistory, "runHistory."),
  ].map((problem) => `${where}: ${problem}`);
  for (const [host, spec] of Object.entries(env.hosts))
    problems.push(
      ...[
        ...misfits({ address, privateAddress: ipAddress }, spec),
        ...misfits({ become: { accepts: (value) => typeof value === "boolean", meaning: "true or false" } }, spec),
        ...misfits(SSH_FIELDS, spec.ssh, "ssh."),
      ].map((problem) => `${where}: host "${host}": ${problem}`),
    );
  for (const group of Object.keys(env.groups))
    if (!formats.matches(formats.name, group))
      problems.push(`${where}: group name ${formats.quoted(group)} must be ${formats.name.meaning}`);
  return problems;
}
