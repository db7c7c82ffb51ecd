import { parse, stringify } from "yaml";

/** A Markdown file split into its YAML front matter (an object, empty when absent) and its body. */
export interface MarkdownFile {
  data: Record<string, unknown>;
  body: string;
}

const OPENING = /^\uFEFF?---\r?\n/;
const CLOSING = /^---[ \t]*(?:\r?\n|$)/m;

/** Thrown for front matter that is not a YAML mapping; the import answers 400 naming the file. */
export class FrontMatterError extends Error {}

export function readMarkdown(text: string): MarkdownFile {
  const opening = OPENING.exec(text);
  if (!opening) return { data: {}, body: text };
  const rest = text.slice(opening[0].length);
  const closing = CLOSING.exec(rest);
  if (!closing) throw new FrontMatterError("front matter opened with --- is never closed");
  let data: unknown;
  try {
    // Plain YAML 1.2 core types: no custom tags, no aliases bombs beyond yaml's own limit.
    data = parse(rest.slice(0, closing.index), { schema: "core", maxAliasCount: 100 });
  } catch (error) {
    throw new FrontMatterError(`front matter is not valid YAML (${(error as Error).message.split("\n")[0]})`);
  }
  if (data !== null && (typeof data !== "object" || Array.isArray(data)))
    throw new FrontMatterError("front matter must be a mapping of keys to values");
  return {
    data: (data ?? {}) as Record<string, unknown>,
    body: rest.slice(closing.index + closing[0].length),
  };
}

/** Front matter then the body, unchanged: reading it back gives the same body. */
export function writeMarkdown(data: Record<string, unknown>, body: string): string {
  return `---\n${stringify(data, { lineWidth: 0 })}---\n${body}`;
}

/** `#tag` words of a text (not headings, not inside words or URLs), in order of first use. */
export function hashtags(text: string): string[] {
  const found = new Set<string>();
  for (const match of text.matchAll(/(?<![\p{L}\p{N}_&/#])#([\p{L}\p{N}_][\p{L}\p{N}_\-/]*)/gu)) {
    const tag = match[1]!.replace(/[-/]+$/, "");
    if (/^\d+$/.test(tag)) continue;
    found.add(tag.slice(0, 64));
  }
  return [...found];
}
