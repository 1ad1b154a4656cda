// Resource: the database server's package, installed only once the host is known to be able to run the engine the
// roles name (engine-check.ts): a host that cannot is refused, naming host, release and role, before anything changes.
// Not a package resource, so it is never installed ahead with earlier plays' packages (lib/runner/install-ahead.ts).
import { shellProbe } from "../../lib/facts/probe.ts";
import { packages } from "../../lib/resources/package.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import { quote } from "../../lib/shell.ts";
import { engineProblem, type EngineCheckPlace, type EngineState } from "./engine-check.ts";
import { DB_ENGINES, flavorOf, type DbFlavor } from "./flavor.ts";

const SERVER_PACKAGES = DB_ENGINES.map((engine) => flavorOf(engine).serverPackage);
/** apt-cache reads the lists without writing its cache (whose age decides when the install runs apt-get update). */
const APT_CACHE = "apt-cache -o Dir::Cache::pkgcache= -o Dir::Cache::srcpkgcache=";

export function probeScript(flavor: DbFlavor): string {
  const wanted = quote(flavor.serverPackage);
  return [
    `dpkg-query -W -f='\${Package}\\t\${db:Status-Abbrev}\\t\${Version}\\n' ${SERVER_PACKAGES.map(quote).join(" ")} 2>/dev/null |`,
    `  awk -F'\\t' '$2 == "ii " { print "installed\\t" $1 "\\t" $3 }'`,
    `if ! dpkg-query -W -f='\${db:Status-Abbrev}' ${wanted} 2>/dev/null | grep -q '^ii'; then`,
    `  printf 'candidate\\t%s\\n' "$(${APT_CACHE} policy ${wanted} 2>/dev/null | sed -n 's/^ *Candidate: //p')"`,
    "fi",
    `printf 'lists\\t%s\\n' "$(ls /var/lib/apt/lists 2>/dev/null | grep -c '_Packages' || true)"`,
  ].join("\n");
}

export function parseEngineState(stdout: string): EngineState {
  const state: EngineState = { installed: new Map(), lists: 0 };
  for (const line of stdout.split("\n")) {
    const [key, first, second] = line.split("\t");
    if (key === "installed" && first && second) state.installed.set(first, second);
    else if (key === "candidate") state.candidate = first ?? "";
    else if (key === "lists") state.lists = Number(first) || 0;
  }
  return state;
}

export function dbServerPackage(flavor: DbFlavor, place: EngineCheckPlace): Resource<EngineState> {
  const install = packages(flavor.serverPackage);
  const installedFact = (state: EngineState) => ({ installed: state.installed });
  return {
    id: `db-server-package:${flavor.serverPackage}`,
    ...commonFields(),
    probe: () =>
      shellProbe(probeScript(flavor), ["/var/lib/dpkg/status", "/var/lib/dpkg/updates", "/var/lib/apt/lists"]),
    parse: (stdout) => parseEngineState(stdout),
    plan(state): Change[] {
      const problem = engineProblem(flavor, state, place);
      if (problem) return [{ summary: `refused: ${problem}` }];
      return install.plan(installedFact(state), { diff: false });
    },
    // Applying a refusal is failing with it: the runner stops this host before its next task.
    apply(state) {
      const problem = engineProblem(flavor, state, place);
      if (problem) return `echo ${quote(`refused: ${problem}`)} >&2\nexit 1`;
      return install.apply(installedFact(state));
    },
  };
}
