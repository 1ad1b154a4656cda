// `tsx lab/packages.ts install|verify PURPOSE...`: install what the lab, the tests or the bench need; check the list is true.
import { ensurePackages, misattributedTools, packagesFor, type Purpose } from "./requirements.ts";

const PURPOSES: Purpose[] = ["lab", "test", "bench"];
/** Exit code of a usage error (README's exit codes: 4 is invalid input; 2 only means "something would change"). */
const USAGE_ERROR = 4;
const USAGE = `Usage: tsx lab/packages.ts install|verify|list ${PURPOSES.join("|")}...
  install  apt-get install what is missing (as root; otherwise prints the command to run)
  verify   every listed command is on PATH and comes from the package the list names
  list     the packages, one line`;

function main([command, ...rest]: string[]): number {
  const purposes = rest as Purpose[];
  const unknown = purposes.filter((purpose) => !PURPOSES.includes(purpose));
  if (!command || purposes.length === 0 || unknown.length > 0) {
    console.error(unknown.length > 0 ? `packages: unknown purpose ${unknown.join(", ")}\n\n${USAGE}` : USAGE);
    return USAGE_ERROR;
  }
  switch (command) {
    case "install":
      ensurePackages(purposes);
      return 0;
    case "verify": {
      const problems = misattributedTools(purposes);
      for (const problem of problems) console.error(`packages: ${problem}`);
      if (problems.length === 0)
        console.log(`packages: every command of the ${purposes.join(", ")} list comes from its listed package`);
      return problems.length === 0 ? 0 : 1;
    }
    case "list":
      console.log(packagesFor(purposes).join(" "));
      return 0;
    default:
      console.error(`packages: unknown command "${command}"\n\n${USAGE}`);
      return USAGE_ERROR;
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
}
