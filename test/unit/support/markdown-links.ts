// Test support: the links of the repo's markdown files that lead nowhere (no such file, no such heading), as GitHub shows them.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import GithubSlugger from "github-slugger";
import { tool } from "../../../lab/requirements.ts";

export interface Link {
  line: number;
  target: string;
}

/** `[text](target "title")`, `![alt](<target>)`: the target is group 1. */
const INLINE_LINK =
  /!?\[(?:[^[\]]|\[[^[\]]*\])*\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^()]*\)))?\s*\)/dg;
/** `[label]: target` at the start of a line (not a `[^note]:` footnote). */
const REFERENCE_DEFINITION = /^ {0,3}\[(?!\^)[^[\]]+\]:[ \t]*(<[^<>\n]*>|\S+)/dgm;
/** `href="target"` or `src='target'` inside an HTML tag. */
const HTML_LINK = /(?<=<[a-z][^<>]*\s)(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')/dgi;
/** `<a id="anchor">` or `<a name='anchor'>`. */
const HTML_ANCHOR = /<a\s(?:[^<>]*\s)?(?:id|name)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi;
/** What GitHub renders differently from its source in a heading: code spans, images, links, HTML tags, escapes, `_emphasis_`. */
const HEADING_MARKUP =
  /(?<ticks>`+)(?<code>.*?[^`])\k<ticks>(?!`)|!\[[^\]]*\]\([^)]*\)|\[(?<linkText>[^\]]*)\](?:\([^)]*\)|\[[^\]]*\])|<[^<>]*>|\\(?<escaped>[!-/:-@[-`{-~])|(?<![\p{L}\p{N}_])(?<underscores>_+)(?=\S)(?<emphasized>.+?)(?<=\S)\k<underscores>(?![\p{L}\p{N}_])/gu;
/** A code span: a run of backticks, then anything but a blank line, then a run of as many. */
const CODE_SPAN = /(?<![`\\])(`+)(?!`)(?:(?!\n[ \t]*\n)[\s\S])*?[^`]\1(?!`)/g;

/** The repo's markdown files, relative to root: tracked and untracked, without what git ignores (node_modules, .cache). */
export function markdownFiles(root: string): string[] {
  return execFileSync(tool("git"), ["ls-files", "--cached", "--others", "--exclude-standard", "--", "*.md"], {
    cwd: root,
    encoding: "utf8",
  })
    .split("\n")
    .filter((file) => file !== "" && existsSync(join(root, file)));
}

/** Each broken link of the files (relative to root), as `path:line: link "target": reason`. */
export function linkProblems(root: string, files: string[]): string[] {
  const anchorsByFile = new Map<string, Set<string>>();
  const anchorsOf = (path: string) => {
    if (!anchorsByFile.has(path)) anchorsByFile.set(path, headingAnchors(readFileSync(join(root, path), "utf8")));
    return anchorsByFile.get(path)!;
  };
  return files.flatMap((file) =>
    links(readFileSync(join(root, file), "utf8")).flatMap(({ line, target }) => {
      const reason = brokenBecause(root, file, target, anchorsOf);
      return reason ? [`${file}:${line}: link "${target}": ${reason}`] : [];
    }),
  );
}

/** The links of a markdown text, in order, outside code blocks and code spans. */
export function links(markdown: string): Link[] {
  const text = withoutCode(markdown);
  const lineAt = (offset: number) => text.slice(0, offset).split("\n").length;
  return [INLINE_LINK, REFERENCE_DEFINITION, HTML_LINK]
    .flatMap((pattern) =>
      [...text.matchAll(pattern)].map((match) => {
        const group = match[1] === undefined ? 2 : 1;
        const target = match[group]!.replace(/^<(.*)>$/, "$1");
        return { line: lineAt(match.indices![group]![0]), target };
      }),
    )
    .sort((a, b) => a.line - b.line);
}

/** The anchors GitHub gives a markdown text: its headings' slugs (a repeated one gets -1, -2 …) and its `<a id/name>`. */
export function headingAnchors(markdown: string): Set<string> {
  const slugger = new GithubSlugger();
  const anchors = new Set(headings(withoutCodeBlocks(markdown)).map((heading) => slugger.slug(plainText(heading))));
  for (const match of withoutCode(markdown).matchAll(HTML_ANCHOR)) anchors.add(match[1] ?? match[2]!);
  return anchors;
}

/** Why the link of a file (relative to root) is broken, or undefined when it is not. */
function brokenBecause(
  root: string,
  file: string,
  target: string,
  anchorsOf: (path: string) => Set<string>,
): string | undefined {
  if (/^https?:\/\//i.test(target)) return URL.canParse(target) ? undefined : "not a valid URL";
  if (/^mailto:/i.test(target)) return undefined;
  const [, encodedPath = "", encodedFragment = ""] = /^([^?#]*)(?:\?[^#]*)?(?:#(.*))?$/.exec(target)!;
  const path = percentDecoded(encodedPath);
  const fragment = percentDecoded(encodedFragment);
  if (path === undefined || fragment === undefined) return "bad percent-encoding";
  const targetFile = path === "" ? file : relative(root, join(root, path.startsWith("/") ? "" : dirname(file), path));
  if (/^\.\.(?:\/|$)/.test(targetFile)) return "outside the repo";
  if (!existsSync(join(root, targetFile))) return "no such file";
  if (fragment === "" || !targetFile.endsWith(".md") || anchorsOf(targetFile).has(fragment)) return undefined;
  return `no heading #${fragment} in ${targetFile}`;
}

/** The text with its %XX escapes decoded, or undefined when one is malformed. */
function percentDecoded(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** The markdown with its fenced code blocks (``` or ~~~, any info string) blanked out, lines kept. */
function withoutCodeBlocks(markdown: string): string {
  let fence: string | undefined;
  return markdown
    .split("\n")
    .map((line) => {
      const [, marker, rest = ""] = /^\s*(`{3,}|~{3,})(.*)$/.exec(line) ?? [];
      if (fence === undefined) {
        if (marker === undefined || (marker[0] === "`" && rest.includes("`"))) return line;
        fence = marker;
      } else if (marker?.[0] === fence[0] && marker.length >= fence.length && rest.trim() === "") fence = undefined;
      return "";
    })
    .join("\n");
}

/** The markdown with its fenced code blocks and its code spans blanked out, lines and columns kept. */
function withoutCode(markdown: string): string {
  return withoutCodeBlocks(markdown).replace(CODE_SPAN, (span) => span.replace(/[^\n]/g, " "));
}

/** The source text of each heading, in order: ATX (`## text ##`) and setext (a paragraph line underlined with = or -). */
function headings(text: string): string[] {
  const lines = text.split("\n");
  return lines.flatMap((line, index) => {
    const atx = /^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/.exec(line);
    if (atx) return [atx[1] ?? ""];
    const previous = lines[index - 1] ?? "";
    return /^ {0,3}(?:=+|-+)[ \t]*$/.test(line) && isParagraphLine(previous) ? [previous.trim()] : [];
  });
}

/** A line that can be a setext heading's text: not blank, nor a heading, list item, quote, table row, HTML or rule. */
function isParagraphLine(line: string): boolean {
  return line.trim() !== "" && !/^(?: {4}|\s*(?:#{1,6}(?:\s|$)|[-*+]\s|\d+[.)]\s|>|\||<|[=-]+\s*$))/.test(line);
}

/** A heading's text as GitHub renders it, which its slug is made of: code spans' content, links' text, no markup. */
function plainText(heading: string): string {
  return heading.replace(HEADING_MARKUP, (...args) => {
    const groups: Record<string, string | undefined> = args.at(-1);
    return groups.code?.trim() ?? groups.linkText ?? groups.escaped ?? groups.emphasized ?? "";
  });
}
