// Plays and playbooks: which roles run on which inventory groups, with which vars.
import type { Role } from "./role.ts";

export interface RoleUse {
  role: Role;
  /** Vars for this role in this play (highest precedence). */
  vars?: Record<string, unknown>;
}

export interface Play {
  name: string;
  /** Inventory group(s) or host name(s) the play targets; "all" is every host. */
  hosts: string | string[];
  roles: (Role | RoleUse)[];
  /**
   * Hosts converged at once in this play (like Ansible's `serial`): 1 rolls changes through the hosts one by one,
   * so a restart never takes every web server down together. After a failure the remaining hosts of the play are left alone.
   */
  serial?: number;
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
