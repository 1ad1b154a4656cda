// What a host's work would put on the host, as text: each resource's id, probe and apply script (a file's content decoded
// from its base64 here-document), so a test can render a play twice and compare the two.
import type { HostWork } from "../../../lib/runner/plan.ts";

/** The base64 here-documents (lib/shell.ts heredocBase64) in a script, decoded. */
function decodedBodies(script: string): string[] {
  return [...script.matchAll(/<<'__FOOBAR_B64__'\n([\s\S]*?)__FOOBAR_B64__/g)].map((match) =>
    Buffer.from(match[1]!.replace(/\n/g, ""), "base64").toString("utf8"),
  );
}

/** Each resource and handler as the texts it sends: "id", its probe (as JSON), its apply script and the files that script writes. */
export function renderedTexts(work: HostWork): string[] {
  const resources = [...work.resources, ...work.handlers.map((handler) => handler.resource)];
  return resources.flatMap((resource) => {
    let script: string;
    try {
      script = resource.apply({ kind: "absent" } as never);
    } catch {
      script = "(no apply for an absent state)";
    }
    // The script with its files' bodies left out (each is read back decoded, where the value is plain text).
    const shape = script.replace(/<<'__FOOBAR_B64__'\n[\s\S]*?__FOOBAR_B64__/g, "<<(a file, below)");
    // A certificate resource issues a new key (and so certificate) on every apply: only its id and probe compare.
    if (resource.id.startsWith("certificate:")) return [resource.id, JSON.stringify(resource.probe({ diff: false }))];
    return [resource.id, JSON.stringify(resource.probe({ diff: false })), shape, ...decodedBodies(script)];
  });
}
