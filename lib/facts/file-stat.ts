// Fact: what is at a path (file with owner/group/mode/sha256, directory, symlink, or nothing).
import { raw, sh } from "../shell.ts";
import type { StatProbe } from "./probe.ts";
import { ProbeParseError } from "./probe-error.ts";

export type PathStat =
  | { kind: "absent" }
  | { kind: "other" }
  | { kind: "link"; target: string }
  | { kind: "directory"; owner: string; group: string; mode: string }
  | { kind: "file"; owner: string; group: string; mode: string; size: number; sha256: string; content?: string };

/** Largest file whose content is read for --diff. */
export const DIFF_MAX_BYTES = 256 * 1024;

/**
 * The probe; with `withContent`, a regular file's content follows as base64. Without it, the runner may answer it from
 * one batched stat of all such paths (lib/facts/stat-batch.ts), with the file's hash kept between runs unless
 * `saveHash` is false (a sensitive file).
 */
export function statProbe(path: string, withContent = false, saveHash = true): StatProbe {
  return { kind: "stat", path, saveHash, content: withContent };
}

/** The probe's shell on its own. */
export function statScript(probe: StatProbe): string {
  const { path } = probe;
  const content = probe.content ? sh`; [ "$(stat -c %s ${path})" -le ${DIFF_MAX_BYTES} ] && base64 < ${path}` : "";
  return [
    sh`if [ -L ${path} ]; then printf 'link\\n%s\\n' "$(readlink ${path})"`,
    // sha256sum prints "<hash>  -": the parser takes the hash (no `cut` process: a no-op runs this for every file).
    sh`elif [ -f ${path} ]; then stat -c 'file %U %G %a %s' ${path} && sha256sum < ${path}${raw(content)}`,
    sh`elif [ -d ${path} ]; then stat -c 'directory %U %G %a' ${path}`,
    sh`elif [ -e ${path} ]; then echo other`,
    "else echo absent; fi",
  ].join("\n");
}

/** Normalise a mode to four octal digits ("644" -> "0644"). */
export function normalMode(mode: string | number): string {
  const text = typeof mode === "number" ? mode.toString(8) : mode;
  if (!/^[0-7]{3,4}$/.test(text)) throw new Error(`invalid file mode "${text}" (expected octal like "0644")`);
  return text.padStart(4, "0");
}

export function parseStat(id: string, stdout: string): PathStat {
  const lines = stdout.split("\n");
  const head = lines[0]!.split(" ");
  switch (head[0]) {
    case "absent":
    case "other":
      return { kind: head[0] };
    case "link":
      return { kind: "link", target: lines[1] ?? "" };
    case "directory":
      if (head.length !== 4) break;
      return { kind: "directory", owner: head[1]!, group: head[2]!, mode: normalMode(head[3]!) };
    case "file": {
      const sha256 = /^([0-9a-f]{64})(\s+-)?$/.exec(lines[1] ?? "")?.[1];
      if (head.length !== 5 || !sha256) break;
      const encoded = lines.slice(2).join("");
      const stat: PathStat = {
        kind: "file",
        owner: head[1]!,
        group: head[2]!,
        mode: normalMode(head[3]!),
        size: Number(head[4]),
        sha256,
      };
      if (encoded || stat.size === 0) stat.content = Buffer.from(encoded, "base64").toString("utf8");
      return stat;
    }
  }
  throw new ProbeParseError(id, "unexpected stat line", stdout);
}
