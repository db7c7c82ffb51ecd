import { z } from "zod";

import { hashtags } from "../../front-matter";
import type { ImportPlan } from "../plan";
import { emptyPlan } from "../plan";
import type { ImportSource } from "../source";
import { ImportInputError } from "../source";
import { cleanTags, markdownMemo } from "./markdown";

/**
 * memos (usememos) exports, two kinds:
 * - the zip of Settings → Export: one `<created, RFC 3339>-<VISIBILITY>.md` per memo, its text only;
 * - the JSON export of newer versions: `{ version, exported_at, memos: [{ uid, content, visibility, created_at,
 *   updated_at, tags, attachments, relations }] }` (attachments are listed without their bytes).
 */
export const USEMEMOS_FILE =
  /^(?:.*\/)?(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2}))-(PUBLIC|PROTECTED|PRIVATE|WORKSPACE)\.md$/;

const jsonExportSchema = z.object({
  memos: z.array(
    z.object({
      uid: z.string().min(1).max(180),
      content: z.string(),
      visibility: z.string().optional(),
      created_at: z.iso.datetime({ offset: true }),
      updated_at: z.iso.datetime({ offset: true }).optional(),
      tags: z.array(z.string()).optional(),
      attachments: z.array(z.object({ filename: z.string() })).optional(),
      relations: z.array(z.object({ related_memo_uid: z.string(), type: z.string() })).optional(),
    }),
  ),
});

export const isUsememosJson = (value: unknown) =>
  typeof value === "object" && value !== null && Array.isArray((value as { memos?: unknown }).memos);

export function planUsememosJson(json: unknown, path: string): ImportPlan {
  const parsed = jsonExportSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ImportInputError(`${path}: ${issue.path.join(".")}: ${issue.message}`);
  }
  const plan = emptyPlan("usememos");
  for (const memo of parsed.data.memos) {
    if (!memo.content.trim()) {
      plan.skipped.push({ item: `memo ${memo.uid}`, reason: "no text" });
      continue;
    }
    const createdAt = new Date(memo.created_at);
    plan.memos.push({
      key: `memos:${memo.uid}`,
      content: memo.content,
      type: "text",
      createdAt,
      updatedAt: memo.updated_at ? new Date(memo.updated_at) : createdAt,
      tags: cleanTags([...(memo.tags ?? []), ...hashtags(memo.content)]),
      isPublic: memo.visibility === "PUBLIC",
      links: (memo.relations ?? [])
        .filter((relation) => relation.type === "REFERENCE")
        .map((relation) => ({ key: `memos:${relation.related_memo_uid}` })),
      attachments: [],
    });
    for (const attachment of memo.attachments ?? [])
      plan.skipped.push({
        item: `attachment ${attachment.filename}`,
        reason: "a memos JSON export holds no file bytes",
      });
  }
  return plan;
}

export async function planUsememosZip(source: ImportSource): Promise<ImportPlan> {
  const plan = emptyPlan("usememos");
  for (const file of source.files) {
    const match = USEMEMOS_FILE.exec(file.path);
    if (!match) {
      plan.skipped.push({ item: file.path, reason: "not a memos export file" });
      continue;
    }
    const memo = await markdownMemo(source, file, {
      createdAt: new Date(match[1]!),
      isPublic: match[2] === "PUBLIC",
    });
    if (memo) plan.memos.push(memo);
    else plan.skipped.push({ item: file.path, reason: "no text" });
  }
  return plan;
}
