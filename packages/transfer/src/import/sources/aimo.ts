import { MEMO_CONTENT_MAX_BYTES } from "@aimo/db";

import { manifestSchema, MANIFEST_PATH, memoFrontMatterSchema } from "../../format";
import { FrontMatterError, readMarkdown } from "../../front-matter";
import type { ImportPlan } from "../plan";
import { attachmentKey, emptyPlan, memoKey } from "../plan";
import type { ImportSource } from "../source";
import { ImportInputError } from "../source";

/** The manifest is read whole: conversations make it the largest text of an export. */
const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;
/** A memo file: the largest memo plus its front matter. */
export const MAX_MEMO_FILE_BYTES = MEMO_CONTENT_MAX_BYTES + 256 * 1024;

const isoError = (path: string, detail: string) => new ImportInputError(`${path}: ${detail}`);

/** An AIMO export: `aimo.json`, `memos/*.md` and `attachments/<id>/<file>`. */
export async function planAimoExport(source: ImportSource): Promise<ImportPlan> {
  const plan = emptyPlan("aimo");
  const manifestFile = source.files.find((file) => file.path === MANIFEST_PATH)!;
  let json: unknown;
  try {
    json = JSON.parse(await source.readText(manifestFile, MAX_MANIFEST_BYTES));
  } catch (error) {
    if (error instanceof ImportInputError) throw error;
    throw isoError(MANIFEST_PATH, "not valid JSON");
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw isoError(MANIFEST_PATH, `${issue.path.join(".")}: ${issue.message}`);
  }
  const manifest = parsed.data;
  const filesByPath = new Map(source.files.map((file) => [file.path, file]));

  for (const category of manifest.categories)
    plan.categories.push({
      key: `category:${category.id}`,
      ...category,
      createdAt: new Date(category.createdAt),
      updatedAt: new Date(category.updatedAt),
    });
  for (const tag of manifest.tags)
    plan.tags.push({
      key: `tag:${tag.id}`,
      ...tag,
      createdAt: new Date(tag.createdAt),
      updatedAt: new Date(tag.updatedAt),
    });
  for (const attachment of manifest.attachments) {
    const file = attachment.path === undefined ? undefined : filesByPath.get(attachment.path);
    if (!file) {
      plan.skipped.push({
        item: `attachment ${attachment.filename}`,
        reason: "its file is not in the export",
      });
      continue;
    }
    plan.attachments.push({
      key: attachmentKey(attachment.id),
      id: attachment.id,
      file,
      filename: attachment.filename,
      mimeType: attachment.mimeType,
      createdAt: new Date(attachment.createdAt),
    });
  }

  const linkTimes = new Map(
    manifest.relations.map((relation) => [
      `${relation.sourceMemoId}\n${relation.targetMemoId}`,
      new Date(relation.createdAt),
    ]),
  );
  for (const file of source.files) {
    if (!/^memos\/[^/]+\.md$/.test(file.path)) continue;
    let front;
    let body: string;
    try {
      const markdown = readMarkdown(await source.readText(file, MAX_MEMO_FILE_BYTES));
      front = memoFrontMatterSchema.safeParse(markdown.data);
      body = markdown.body;
    } catch (error) {
      if (error instanceof FrontMatterError) throw isoError(file.path, error.message);
      throw error;
    }
    if (!front.success) {
      const issue = front.error.issues[0]!;
      throw isoError(file.path, `front matter ${issue.path.join(".")}: ${issue.message}`);
    }
    const memo = front.data;
    plan.memos.push({
      key: memoKey(memo.id),
      id: memo.id,
      content: body,
      type: memo.type,
      source: memo.source,
      createdAt: new Date(memo.created),
      updatedAt: new Date(memo.updated),
      category: memo.category,
      tags: memo.tags,
      isPublic: memo.public,
      links: memo.links.map((target) => ({
        key: memoKey(target),
        createdAt: linkTimes.get(`${memo.id}\n${target}`),
      })),
      attachments: memo.attachments.map(attachmentKey),
    });
  }

  for (const conversation of manifest.conversations) {
    plan.conversations.push({
      key: `conversation:${conversation.id}`,
      id: conversation.id,
      title: conversation.title,
      createdAt: new Date(conversation.createdAt),
      updatedAt: new Date(conversation.updatedAt),
      messages: conversation.messages.map((message) => ({
        ...message,
        sources: message.sources.map((source) => ({ ...source, memoId: memoKey(source.memoId) })),
        createdAt: new Date(message.createdAt),
      })),
    });
  }
  for (const pick of manifest.dailyPicks)
    plan.dailyPicks.push({
      key: `pick:${pick.date}`,
      date: pick.date,
      memoKeys: pick.memoIds.map(memoKey),
      createdAt: new Date(pick.createdAt),
    });
  for (const rule of manifest.pushRules)
    plan.pushRules.push({
      key: `push:${rule.id}`,
      ...rule,
      createdAt: new Date(rule.createdAt),
      updatedAt: new Date(rule.updatedAt),
    });
  return plan;
}
