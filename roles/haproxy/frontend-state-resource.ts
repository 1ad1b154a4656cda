// Resource: HAProxy's frontends as it runs them — none left disabled through the runtime API (`disable frontend`
// stops a listener until a reload or `enable frontend`: a site that is down while its config looks right).
import { shellProbe } from "../../lib/facts/probe.ts";
import { commonFields, type Change, type Resource } from "../../lib/resources/resource.ts";
import { runtimeCommand, statRows } from "./runtime.ts";

/** Name → status ("OPEN", "STOP", …) of each frontend HAProxy runs; empty when it does not answer. */
type Frontends = Map<string, string>;

/** `show stat` of frontends only (type 1): one CSV row each, status in the column of that name. */
export function parseFrontends(csv: string): Frontends {
  return new Map(
    statRows(csv)
      .filter((row) => row.svname === "FRONTEND")
      .map((row) => [row.pxname!, row.status!]),
  );
}

export function frontendsOpen(): Resource<Frontends> {
  const stopped = (frontends: Frontends) =>
    [...frontends].filter(([, status]) => status !== "OPEN").map(([name]) => name);
  return {
    id: "haproxy-frontends",
    ...commonFields(),
    probe: () => shellProbe(`${runtimeCommand("show stat -1 1 -1")} 2>/dev/null; true`),
    parse: (stdout) => parseFrontends(stdout),
    plan: (frontends): Change[] =>
      stopped(frontends).map((name) => ({ summary: `${name}: ${frontends.get(name)} -> OPEN (disabled at runtime)` })),
    apply: (frontends) =>
      stopped(frontends)
        .map((name) => runtimeCommand(`enable frontend ${name}`))
        .join("\n"),
  };
}
