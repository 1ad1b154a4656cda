// Owner, group and mode of a path: what differs, and the chown/chmod that fixes it.
import { quote } from "../shell.ts";
import type { Change } from "./resource.ts";

export interface Ownership {
  owner?: string;
  group?: string;
  /** Four octal digits, e.g. "0644". */
  mode?: string;
}

/** chown/chmod commands for `target` (a shell word, e.g. "$tmp"). */
export function ownershipCommands(target: string, ownership: Ownership): string[] {
  const commands: string[] = [];
  if (ownership.owner || ownership.group) {
    commands.push(
      `chown ${quote(`${ownership.owner ?? ""}${ownership.group ? `:${ownership.group}` : ""}`)} ${target}`,
    );
  }
  if (ownership.mode) commands.push(`chmod ${ownership.mode} ${target}`);
  return commands;
}

/** Changes needed to go from the current owner/group/mode to the wanted ones (unset = not managed). */
export function ownershipChanges(current: { owner: string; group: string; mode: string }, wanted: Ownership): Change[] {
  const changes: Change[] = [];
  if (wanted.owner && wanted.owner !== current.owner)
    changes.push({ summary: `owner ${current.owner} -> ${wanted.owner}` });
  if (wanted.group && wanted.group !== current.group)
    changes.push({ summary: `group ${current.group} -> ${wanted.group}` });
  if (wanted.mode && wanted.mode !== current.mode) changes.push({ summary: `mode ${current.mode} -> ${wanted.mode}` });
  return changes;
}
