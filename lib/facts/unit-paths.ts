// Where systemd looks for unit files (`systemd-analyze unit-paths`, system scope): what a unit-file state depends on.

/** In systemd's priority order; the same list on systemd 252 (Debian 12) and 255 (Ubuntu 24.04). */
const SEARCH_PATHS = [
  "/etc/systemd/system.control",
  "/run/systemd/system.control",
  "/run/systemd/transient",
  "/run/systemd/generator.early",
  "/etc/systemd/system",
  "/etc/systemd/system.attached",
  "/run/systemd/system",
  "/run/systemd/system.attached",
  "/run/systemd/generator",
  "/usr/local/lib/systemd/system",
  "/lib/systemd/system",
  "/usr/lib/systemd/system",
  "/run/systemd/generator.late",
];
const VENDOR_PATHS = new Set(["/usr/local/lib/systemd/system", "/lib/systemd/system", "/usr/lib/systemd/system"]);
const INSTANCE = /^[^@]+@[^@]+\.[a-z]+$/;

/**
 * The paths a unit-file state (`systemctl is-enabled`) is read from: every search directory, whose line changes when
 * a unit file or link is added, removed, replaced or masked in it, and the subdirectories whose links enable units
 * (`*.wants`, `*.requires`, as child globs). An edit in place of a unit file cannot change whether links to it exist,
 * which is what enabled and disabled mean. systemd counts links in the vendor directories only for instances of
 * templates, so only those depend on the vendor subdirectories.
 */
export function unitFileDependencies(units: readonly string[]): string[] {
  const linkDirectories = units.some((unit) => INSTANCE.test(unit))
    ? SEARCH_PATHS
    : SEARCH_PATHS.filter((path) => !VENDOR_PATHS.has(path));
  return [...SEARCH_PATHS, ...linkDirectories.map((path) => `${path}/*/`)];
}
