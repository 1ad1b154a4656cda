// Resources: a systemd unit file or a drop-in under /etc/systemd/system, followed by daemon-reload when it changes.
import type { PathStat } from "../facts/file-stat.ts";
import { file, type FileOptions } from "./file.ts";
import type { Resource } from "./resource.ts";

export function systemdUnit(unit: string, content: string, options: FileOptions = {}): Resource<PathStat> {
  if (!/^[A-Za-z0-9@._-]+\.(service|timer|socket|target|path|mount)$/.test(unit))
    throw new Error(`invalid systemd unit name "${unit}"`);
  const path = `/etc/systemd/system/${unit}`;
  const resource = file(path, content, { owner: "root", group: "root", mode: "0644", ...options });
  return {
    ...resource,
    id: `systemd_unit:${unit}`,
    apply: (current) => `${resource.apply(current)}\nsystemctl daemon-reload`,
  };
}

/** A drop-in /etc/systemd/system/<unit>.d/<name>.conf (content null: absent), followed by daemon-reload when it changes. */
export function systemdDropIn(
  unit: string,
  name: string,
  content: string | null,
  options: FileOptions = {},
): Resource<PathStat> {
  if (!/^[A-Za-z0-9@._-]+\.(service|timer|socket)$/.test(unit) || !/^[A-Za-z0-9_-]+$/.test(name))
    throw new Error(`invalid systemd drop-in ${unit}.d/${name}.conf`);
  const path = `/etc/systemd/system/${unit}.d/${name}.conf`;
  const resource = file(
    path,
    content,
    content === null ? { state: "absent", ...options } : { owner: "root", group: "root", mode: "0644", ...options },
  );
  return {
    ...resource,
    id: `systemd_drop_in:${unit}.d/${name}.conf`,
    apply: (current) =>
      `${content === null ? "" : `mkdir -p /etc/systemd/system/${unit}.d\n`}${resource.apply(current)}\nsystemctl daemon-reload`,
  };
}
