import { posix } from "node:path";

import type { HTMLElement, Node } from "node-html-parser";
import { NodeType, parse } from "node-html-parser";

import { hashtags } from "../../front-matter";
import type { ImportPlan } from "../plan";
import { emptyPlan } from "../plan";
import type { ImportSource, SourceFile } from "../source";
import { ImportInputError } from "../source";
import { cleanTags } from "./markdown";

/** The HTML page of a flomo export (Account → Export all as HTML). */
const MAX_HTML_BYTES = 256 * 1024 * 1024;

export const isFlomoHtml = (html: string) => /class="memo"/.test(html) && /class="time"/.test(html);

/** The instant a wall-clock time in `timeZone` stands for. */
export function zonedTime(wall: string, timeZone: string): Date | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(wall.trim());
  if (!match) return undefined;
  const [y, mo, d, h, mi, s] = match.slice(1).map((part) => Number(part ?? 0));
  const asUtc = Date.UTC(y!, mo! - 1, d, h, mi, s);
  const offsetAt = (instant: number) => {
    const parts = Object.fromEntries(
      new Intl.DateTimeFormat("en-US", {
        timeZone,
        hourCycle: "h23",
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        second: "2-digit",
      })
        .formatToParts(instant)
        .map((part) => [part.type, Number(part.value)]),
    ) as Record<"year" | "month" | "day" | "hour" | "minute" | "second", number>;
    return Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - instant;
  };
  const first = asUtc - offsetAt(asUtc);
  return new Date(asUtc - offsetAt(first));
}

/** flomo's rich text as Markdown: paragraphs, lists, bold, italics, links and line breaks. */
function toMarkdown(node: Node): string {
  if (node.nodeType === NodeType.TEXT_NODE) return node.text;
  if (node.nodeType !== NodeType.ELEMENT_NODE) return "";
  const element = node as HTMLElement;
  const inner = () => element.childNodes.map(toMarkdown).join("");
  switch (element.tagName) {
    case "P":
    case "DIV":
      return `${inner().trim()}\n\n`;
    case "BR":
      return "\n";
    case "STRONG":
    case "B":
      return `**${inner()}**`;
    case "EM":
    case "I":
      return `*${inner()}*`;
    case "A": {
      const href = element.getAttribute("href");
      return href ? `[${inner()}](${href})` : inner();
    }
    case "UL":
      return `${element.childNodes
        .filter((child) => (child as HTMLElement).tagName === "LI")
        .map((child) => `- ${toMarkdown(child).trim()}`)
        .join("\n")}\n\n`;
    case "OL":
      return `${element.childNodes
        .filter((child) => (child as HTMLElement).tagName === "LI")
        .map((child, index) => `${index + 1}. ${toMarkdown(child).trim()}`)
        .join("\n")}\n\n`;
    default:
      return inner();
  }
}

/**
 * A flomo export: a zip of one HTML page (`.memo` blocks, each with `.time` "YYYY-MM-DD HH:mm:ss" in the
 * writer's local time, `.content` rich text with `#tags`, `.files` images under `file/…`) and those files;
 * or the HTML page alone, without its files.
 */
export async function planFlomo(
  source: ImportSource,
  htmlFile: SourceFile,
  timeZone: string,
): Promise<ImportPlan> {
  const plan = emptyPlan("flomo");
  const root = parse(await source.readText(htmlFile, MAX_HTML_BYTES));
  const filesByPath = new Map(source.files.map((file) => [file.path, file]));
  const base = posix.dirname(htmlFile.path);
  let index = 0;
  for (const block of root.querySelectorAll(".memo")) {
    index++;
    const wall = block.querySelector(".time")?.text ?? "";
    const createdAt = zonedTime(wall, timeZone);
    if (!createdAt)
      throw new ImportInputError(
        `${htmlFile.path}: memo ${index} has no readable time ("${wall.slice(0, 40)}")`,
      );
    const contentNode = block.querySelector(".content");
    const content = contentNode
      ? toMarkdown(contentNode)
          .replace(/\n{3,}/g, "\n\n")
          .trim()
      : "";
    const attachments: string[] = [];
    for (const media of block.querySelectorAll(".files [src]")) {
      const src = decodeURIComponent(media.getAttribute("src") ?? "");
      const path = posix.normalize(posix.join(base, src));
      const file = filesByPath.get(path);
      if (!file || /^[a-z]+:/i.test(src)) {
        plan.skipped.push({ item: `${src} (memo of ${wall})`, reason: "the file is not in the upload" });
        continue;
      }
      const key = `file:${path}`;
      if (!plan.attachments.some((attachment) => attachment.key === key)) {
        plan.attachments.push({
          key,
          file,
          filename: posix.basename(path),
          createdAt,
        });
      }
      attachments.push(key);
    }
    if (!content && attachments.length === 0) {
      plan.skipped.push({ item: `memo of ${wall}`, reason: "no text and no files" });
      continue;
    }
    plan.memos.push({
      key: `flomo:${index}:${createdAt.getTime()}`,
      content,
      type: "text",
      createdAt,
      updatedAt: createdAt,
      tags: cleanTags(hashtags(content)),
      isPublic: false,
      links: [],
      attachments,
    });
  }
  return plan;
}
