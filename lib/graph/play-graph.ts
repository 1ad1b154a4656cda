// The order a playbook's plays run in, as a Mermaid flowchart: a solid arrow where a play waits for every host of
// another (its `needs`, or every play above when it names none), a dotted one where a host only finishes its own
// previous play first.
import type { Playbook } from "../dsl/playbook.ts";
import { playNeeds } from "../runner/play-needs.ts";

const label = (text: string) => text.replace(/"/g, "'");

/** `hostsOf(index)`: the hosts play `index` targets in the environment drawn. */
export function playGraphMermaid(playbook: Playbook, hostsOf: (index: number) => string[]): string {
  const needs = playNeeds(playbook);
  const lines = ["flowchart TD"];
  playbook.plays.forEach((play, index) => {
    const hosts = hostsOf(index);
    lines.push(
      `  p${index}["${label(play.name)}<br/><small>${hosts.join(", ") || "no host"}${play.serial ? `; ${play.serial} at a time` : ""}</small>"]`,
    );
  });
  playbook.plays.forEach((_play, index) => {
    for (const need of needs[index]!) lines.push(`  p${need} --> p${index}`);
    const previous = new Set(
      hostsOf(index).flatMap((host) => {
        const before = [...Array(index).keys()].reverse().find((earlier) => hostsOf(earlier).includes(host));
        return before === undefined ? [] : [before];
      }),
    );
    for (const before of [...previous].sort((a, b) => a - b))
      if (!needs[index]!.includes(before)) lines.push(`  p${before} -.-> p${index}`);
  });
  return `${lines.join("\n")}\n`;
}
