// Resource: the running server's globals for the settings its drop-in sets and SET GLOBAL can change (read_only,
// server_id, binary log format and expiry, GTID strictness, connections, character set): a value changed by hand at
// runtime — a replica made writable — is found by --check and set back live, with no restart.
import { sqlProbe } from "../../lib/facts/sql-batch.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import type { DbFlavor } from "./flavor.ts";
import type { ServerSetting } from "./server-config.ts";
import { sqlString } from "./sql.ts";
import { sqlScript } from "./sql-script.ts";

/** Running value per setting name ("" when the server did not answer). */
type Globals = Map<string, string>;

/** ON/TRUE/1 and OFF/FALSE/0 alike (servers print booleans as 1/0, enums as words); words compared without case. */
function normalised(value: string): string {
  const lower = value.trim().toLowerCase();
  if (lower === "on" || lower === "true" || lower === "1") return "1";
  if (lower === "off" || lower === "false" || lower === "0") return "0";
  return lower;
}

const literal = (value: string) => (/^\d+$/.test(value) || /^(ON|OFF)$/.test(value) ? value : sqlString(value));

export function dbRuntimeSettings(flavor: DbFlavor, settings: readonly ServerSetting[]): Resource<Globals> {
  const differing = (globals: Globals) =>
    settings.filter(
      (setting) => globals.has(setting.name) && normalised(globals.get(setting.name)!) !== normalised(setting.value),
    );
  return {
    id: "db-runtime-settings",
    ...commonFields(),
    probe: () =>
      sqlProbe(
        flavor.probeClient,
        settings.map((setting) => `SELECT '${setting.name}', @@GLOBAL.${setting.name}`),
      ),
    parse: (stdout) =>
      new Map(
        stdout.split("\n").flatMap((line) => {
          const [name, value] = line.split("\t");
          return name && value !== undefined ? [[name, value] as const] : [];
        }),
      ),
    plan: (globals): Change[] =>
      differing(globals).map((setting) => ({
        summary: `${setting.name}: ${globals.get(setting.name)} -> ${setting.value} (live)`,
      })),
    // In file order: a replica's read_only comes before super_read_only, a primary's super_read_only before read_only.
    apply: (globals) =>
      sqlScript(
        flavor,
        differing(globals)
          .map((setting) => `SET GLOBAL ${setting.name} = ${literal(setting.value)};`)
          .join("\n"),
      ),
  };
}
