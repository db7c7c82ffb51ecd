import { NAME_MAX, TIMESTAMP_MS } from "@aimo/db";

import { FrontMatterError, hashtags, readMarkdown } from "../../front-matter";
import type { ImportPlan, PlannedMemo } from "../plan";
import { emptyPlan } from "../plan";
import type { ImportSource, SourceFile } from "../source";
import { ImportInputError } from "../source";
import { MAX_MEMO_FILE_BYTES } from "./aimo";

export const isMarkdownPath = (path: string) => /\.(md|markdown)$/i.test(path);

const CREATED_KEYS = ["created", "date", "createdAt", "created_at", "created_time", "creation_date"];
const UPDATED_KEYS = ["updated", "updatedAt", "updated_at", "modified", "lastmod"];

function timeOf(data: Record<string, unknown>, keys: string[], path: string): Date | undefined {
  for (const key of keys) {
    const value = data[key];
    if (value === undefined || value === null) continue;
    const time =
      value instanceof Date
        ? value
        : typeof value === "number" || typeof value === "string"
          ? new Date(value)
          : undefined;
    if (
      !time ||
      Number.isNaN(time.getTime()) ||
      time.getTime() < TIMESTAMP_MS.min ||
      time.getTime() > TIMESTAMP_MS.max
    )
      throw new ImportInputError(`${path}: front matter ${key} is not a date`);
    return time;
  }
  return undefined;
}

function tagsOf(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  const list = typeof value === "string" ? value.split(/[,\s]+/) : Array.isArray(value) ? value : undefined;
  if (!list || list.some((tag) => typeof tag !== "string" && typeof tag !== "number"))
    throw new ImportInputError(`${path}: front matter tags must be a list or a comma-separated text`);
  return list.map((tag) => String(tag).replace(/^#/, "").trim()).filter(Boolean);
}

/** Tags as AIMO keeps them: 1-64 characters, no control characters, the first spelling of each. */
export function cleanTags(names: string[]): string[] {
  const seen = new Map<string, string>();
  for (const name of names) {
    // eslint-disable-next-line no-control-regex
    const clean = [...name.replace(/[\u0000-\u001f\u007f]/g, "").trim()].slice(0, NAME_MAX).join("");
    if (clean && !seen.has(clean.toLowerCase())) seen.set(clean.toLowerCase(), clean);
  }
  return [...seen.values()];
}

/** One Markdown file as a memo: front matter (optional) for times, tags, category and visibility. */
export async function markdownMemo(
  source: ImportSource,
  file: SourceFile,
  defaults: { createdAt?: Date; isPublic?: boolean } = {},
): Promise<PlannedMemo | undefined> {
  let data: Record<string, unknown>;
  let body: string;
  try {
    ({ data, body } = readMarkdown(await source.readText(file, MAX_MEMO_FILE_BYTES)));
  } catch (error) {
    if (error instanceof FrontMatterError) throw new ImportInputError(`${file.path}: ${error.message}`);
    throw error;
  }
  const content = body.replace(/^(\s*\n)+/, "").trimEnd();
  if (!content.trim()) return undefined;
  const createdAt = timeOf(data, CREATED_KEYS, file.path) ?? defaults.createdAt ?? file.modifiedAt;
  const updatedAt = timeOf(data, UPDATED_KEYS, file.path) ?? createdAt;
  const category =
    typeof data.category === "string" && data.category.trim()
      ? data.category.trim().slice(0, NAME_MAX)
      : undefined;
  const isPublic = data.public ?? defaults.isPublic ?? false;
  if (typeof isPublic !== "boolean")
    throw new ImportInputError(`${file.path}: front matter public must be true or false`);
  return {
    key: `file:${file.path}`,
    content,
    type: "text",
    createdAt,
    updatedAt,
    category,
    tags: cleanTags([...tagsOf(data.tags, file.path), ...hashtags(content)]),
    isPublic,
    links: [],
    attachments: [],
  };
}

/** A folder or zip of Markdown files (Obsidian, Logseq, most note apps). */
export async function planMarkdown(source: ImportSource): Promise<ImportPlan> {
  const plan = emptyPlan("markdown");
  for (const file of source.files) {
    if (!isMarkdownPath(file.path)) {
      plan.skipped.push({ item: file.path, reason: "not a Markdown file" });
      continue;
    }
    const memo = await markdownMemo(source, file);
    if (memo) plan.memos.push(memo);
    else plan.skipped.push({ item: file.path, reason: "no text" });
  }
  return plan;
}
