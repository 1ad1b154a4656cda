// Resource: a systemd unit file under /etc/systemd/system, followed by daemon-reload when it changes.
import type { PathStat } from "../facts/file-stat.ts";
import { file, type FileOptions } from "./file.ts";
import type { Resource } from "./resource.ts";

export function systemdUnit(unit: string, content: string, options: FileOptions = {}): Resource<PathStat> {
  if (!/^[A-Za-z0-9@._-]+\.(service|timer|socket|target|path|mount)$/.test(unit)) throw new Error(`invalid systemd unit name "${unit}"`);
  const path = `/etc/systemd/system/${unit}`;
  const resource = file(path, content, { owner: "root", group: "root", mode: "0644", ...options });
  return {
    ...resource,
    id: `systemd_unit:${unit}`,
    apply: (current) => `${resource.apply(current)}\nsystemctl daemon-reload`,
  };
}
