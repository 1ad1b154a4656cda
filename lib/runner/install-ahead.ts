// One package transaction per host: every package the host's plays install goes in with the first play that installs
// any (one apt-get and one round of dpkg triggers instead of one per play), and the services they bring that the plays
// start themselves are held from starting unconfigured until then (lib/resources/start-hold.ts).
import { asPackage, combinePackages } from "../resources/package.ts";
import type { Resource } from "../resources/resource.ts";
import type { HostWork } from "./plan.ts";

/** A package resource that installs and notifies nobody: moving it to an earlier play changes no handler's run. */
const isMovable = (resource: Resource) =>
  asPackage(resource)?.packageState === "present" && resource.notify.length === 0;

/** `works`, the host's plays in the order it runs them, rewritten in place. */
export function installAhead(works: readonly HostWork[]): void {
  const all = works.flatMap((work) => work.resources);
  const movable = all.filter(isMovable).map((resource) => asPackage(resource)!);
  const first = works.find((work) => work.resources.some(isMovable));
  if (!first) return;
  // A package one play installs and another removes is a contradiction each play's own resource reports as written.
  const removed = all.flatMap((resource) =>
    asPackage(resource)?.packageState === "absent" ? asPackage(resource)!.packageNames : [],
  );
  const names = movable.flatMap((resource) => resource.packageNames);
  if (names.some((name) => removed.includes(name))) return;
  const merged = combinePackages(movable, [
    ...new Set(all.flatMap((resource) => (resource.keepsStarted ? [resource.keepsStarted] : []))),
  ]);
  const at = first.resources.findIndex(isMovable);
  for (const work of works) work.resources = work.resources.filter((resource) => !isMovable(resource));
  first.resources.splice(at, 0, merged as unknown as Resource);
}
