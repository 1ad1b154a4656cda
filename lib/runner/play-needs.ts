// Which earlier plays a play waits for: the ones it names in `needs` (every host of each done with it), or, when it
// names none, every play before it — a plain playbook keeps its top-to-bottom order. Checked before any connection.
import { InputError } from "../errors.ts";
import type { Playbook } from "../dsl/playbook.ts";

export function playNeeds(playbook: Playbook): number[][] {
  const problems: string[] = [];
  const needs = playbook.plays.map((play, index) => {
    if (play.needs === undefined) return [...Array(index).keys()];
    return play.needs.flatMap((name) => {
      const found = playbook.plays.findIndex((other) => other.name === name);
      if (found < 0)
        problems.push(`play "${play.name}" needs "${name}": no play of playbook ${playbook.name} has that name`);
      else if (found >= index)
        problems.push(
          `play "${play.name}" needs "${name}", which comes after it: a play can only wait for the plays above it`,
        );
      return found >= 0 && found < index ? [found] : [];
    });
  });
  if (problems.length) throw new InputError(problems);
  return needs;
}
