// `npm run lab -- up`'s options: --os and --db, each `--flag value` or `--flag=value`, at most once.
import { labDb, type LabDb } from "./environment/db.ts";
import { labOs, type LabOs } from "./environment/os.ts";

/** `up`'s --os and --db (each `--flag value` or `--flag=value`, at most once), or why the arguments are wrong. */
export function upChoices(args: string[]): { release?: LabOs; db?: LabDb } | string {
  const choices: { release?: LabOs; db?: LabDb } = {};
  const wrong = `unexpected ${args.map((arg) => `"${arg}"`).join(" ")} (up takes --os debian13|debian12 and --db mariadb|mysql)`;
  for (let index = 0; index < args.length; index++) {
    const [flag, inline] = args[index]!.split(/=(.*)/);
    const value = inline ?? args[++index];
    if (value === undefined) return wrong;
    try {
      if (flag === "--os" && !choices.release) choices.release = labOs(value, "--os");
      else if (flag === "--db" && !choices.db) choices.db = labDb(value, "--db");
      else return wrong;
    } catch (error) {
      return (error as Error).message;
    }
  }
  return choices;
}
