// Shell for writing a file atomically: temp file in the same directory, validate, rename.
import { posix } from "node:path";
import { heredocBase64, quote, sh } from "../shell.ts";
import { ownershipCommands, type Ownership } from "./ownership.ts";

/**
 * A validator command. With "%s" it checks the candidate file alone (`haproxy -c -f %s`);
 * without it, it checks a whole tree with the candidate in place (`nginx -t`), and the old
 * file is put back when it fails.
 */
export type Validator = string;

/** Script that replaces `path` with `content`, keeping the live file when validation fails. */
export function atomicWriteScript(
  path: string,
  content: string | Buffer,
  ownership: Ownership,
  validate?: Validator,
): string {
  const dir = posix.dirname(path);
  const lines = [
    sh`tmp=$(mktemp ${`${dir}/.${posix.basename(path)}.foobar.XXXXXX`})`,
    `trap 'rm -f "$tmp"' EXIT`,
    heredocBase64(`base64 -d > "$tmp"`, content),
    // mktemp creates 0600: keep the live file's mode unless one is given, 0644 for a new file.
    ownership.mode ? "" : sh`if [ -e ${path} ]; then chmod --reference=${path} "$tmp"; else chmod 0644 "$tmp"; fi`,
    ...ownershipCommands(`"$tmp"`, ownership),
  ];
  if (validate?.includes("%s")) {
    const command = validate.replaceAll("%s", `"$tmp"`);
    lines.push(
      `if ! out=$(${command} 2>&1); then printf 'validation failed: %s\\n%s\\n' ${quote(validate)} "$out" >&2; exit 1; fi`,
    );
    lines.push(sh`mv -f "$tmp" ${path}`);
  } else if (validate) {
    lines.push(
      sh`bak=$(mktemp ${`${dir}/.${posix.basename(path)}.foobar-old.XXXXXX`})`,
      `trap 'rm -f "$tmp" "$bak"' EXIT`,
      sh`had=0; if [ -e ${path} ]; then cp -p ${path} "$bak"; had=1; fi`,
      sh`mv -f "$tmp" ${path}`,
      `if ! out=$(${validate} 2>&1); then`,
      sh`  if [ $had = 1 ]; then mv -f "$bak" ${path}; else rm -f ${path}; fi`,
      `  printf 'validation failed: %s\\n%s\\n' ${quote(validate)} "$out" >&2; exit 1`,
      "fi",
    );
  } else {
    lines.push(sh`mv -f "$tmp" ${path}`);
  }
  return lines.filter(Boolean).join("\n");
}
