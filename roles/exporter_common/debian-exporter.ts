// Debian's prometheus-*-exporter packages as the exporter roles run them: the package, its /etc/default file, the service,
// and a restart when that file changes.
import type { ResourceFactory } from "../../lib/resources/index.ts";
import type { Resource } from "../../lib/resources/resource.ts";

export interface DebianExporter {
  /**
   * The package, then `needs` (what the exporter must find when it starts), `/etc/default/<package>` with `settings`
   * (e.g. `ARGS="..."`) under a managed-by line, and the started service.
   */
  tasks(r: ResourceFactory, purpose: string, settings: string[], needs?: Resource<any>[]): Resource<any>[];
  /** The restart the defaults file notifies. */
  handlers: Record<string, (context: { r: ResourceFactory }) => Resource<any>>;
}

/** `role`'s exporter from the Debian package `pkg` (its unit has the same name). */
export function debianExporter(role: string, pkg: string): DebianExporter {
  const restart = `restart ${role}`;
  return {
    tasks: (r, purpose, settings, needs = []) => [
      r.package(pkg),
      ...needs,
      r.file(
        `/etc/default/${pkg}`,
        [`# Managed by foobar-infra (role ${role}): ${purpose}`, ...settings, ""].join("\n"),
        { mode: "0644", notify: restart },
      ),
      r.service(pkg, { state: "started", enabled: true }),
    ],
    handlers: { [restart]: ({ r }) => r.serviceAction(pkg, "restarted") },
  };
}
