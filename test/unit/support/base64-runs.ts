// What base64 in a text decodes to: a secret hidden by an encoding is still a leak (tests scan output with it).

/** Every run of base64 (spread over lines and indentation, as -vv shows scripts), decoded as text. */
export function decodedBase64Runs(text: string): string[] {
  return (text.match(/(?:[A-Za-z0-9+/]{4}[ \t]*\n?[ \t]*){6,}(?:[A-Za-z0-9+/]{2,3}={0,2})?/g) ?? []).map((run) =>
    Buffer.from(run.replace(/\s+/g, ""), "base64").toString("latin1"),
  );
}

/** `text` with what its base64 runs decode to appended: search it for a secret in either form. */
export function withDecodedBase64(text: string): string {
  return [text, ...decodedBase64Runs(text)].join("\n");
}
