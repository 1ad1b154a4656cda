// Plays and playbooks: which roles run on which inventory groups, with which vars.
import type { Role } from "./role.ts";

export interface RoleUse {
  role: Role;
  /** Vars for this role in this play (highest precedence). */
  vars?: Record<string, unknown>;
}

export interface Play {
  name: string;
  /** Inventory group(s) or host name(s) the play targets. */
  hosts: string | string[];
  roles: (Role | RoleUse)[];
}

export interface Playbook {
  name: string;
  plays: Play[];
}

export function definePlaybook(name: string, plays: Play[]): Playbook {
  return { name, plays };
}

export function roleUses(play: Play): RoleUse[] {
  return play.roles.map((entry) => ("templatesDir" in entry ? { role: entry } : entry));
}
