// The Debian mirror this machine uses, read from its apt sources (never hard-coded).
import { existsSync, readFileSync } from "node:fs";

export interface Mirror {
  /** e.g. http://deb.debian.org/debian */
  main: string;
  /** e.g. http://deb.debian.org/debian-security */
  security: string;
}

function urisFromDeb822(text: string): string[] {
  return text
    .split("\n")
    .filter((line) => /^URIs:/i.test(line))
    .flatMap((line) =>
      line
        .replace(/^URIs:/i, "")
        .trim()
        .split(/\s+/),
    );
}

function urisFromOneLine(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trim().split(/\s+/))
    .filter((words) => words[0] === "deb")
    .map((words) => words.find((word) => /^https?:\/\//.test(word)) ?? "");
}

/** Read the machine's mirror from /etc/apt/sources.list.d/debian.sources, falling back to sources.list. */
export function machineMirror(): Mirror {
  const deb822 = "/etc/apt/sources.list.d/debian.sources";
  const uris = [
    ...(existsSync(deb822) ? urisFromDeb822(readFileSync(deb822, "utf8")) : []),
    ...(existsSync("/etc/apt/sources.list") ? urisFromOneLine(readFileSync("/etc/apt/sources.list", "utf8")) : []),
  ]
    .filter((uri) => uri.startsWith("http://"))
    .map((uri) => uri.replace(/\/+$/, ""));
  const main = uris.find((uri) => !uri.includes("security"));
  if (!main)
    throw new Error(
      "lab: no http:// Debian mirror found in /etc/apt/sources.list.d/debian.sources or /etc/apt/sources.list",
    );
  const security = uris.find((uri) => uri.includes("security")) ?? `${new URL(main).origin}/debian-security`;
  return { main, security };
}

/** Host names the apt proxy may forward to. */
export function mirrorHosts(mirror: Mirror): string[] {
  return [...new Set([new URL(mirror.main).host, new URL(mirror.security).host])];
}
