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
  /**
   * The earlier plays this one waits for, by name: a host starts it once it is done with its own earlier plays and
   * every host of these plays is done with them — not when every host finished every play above. Leave it out and
   * the play waits for all the plays above it. A need that failed on some host skips the play, naming that host.
   */
  needs?: string[];
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
