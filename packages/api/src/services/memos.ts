import type { Transaction } from "@aimo/db";
import {
  attachments,
  categories,
  createId,
  memoRelations,
  memos,
  memoTags,
  memoTagRows,
  selectMemoRows,
  withTransaction,
} from "@aimo/db";
import { and, eq, inArray } from "drizzle-orm";

import type { ApiDeps } from "../context";
import type { MemoDto } from "../dto/memo";
import { badRequest, notFound } from "../errors";
import type { MemoCreateInput, MemoPatch } from "../schemas/memo";
import { outgoingLinkIds, ownedMemoIds, rowToMemoDto } from "./memo-reads";
import { recountTags, resolveTagIds } from "./tags";
import { applyNow, enqueueVectorWork, indexStates, memoJobs } from "./vector-outbox";

async function checkCategory(tx: Transaction, uid: string, categoryId: string | null | undefined) {
  if (!categoryId) return;
  const [row] = await tx
    .select({ id: categories.id })
    .from(categories)
    .where(and(eq(categories.id, categoryId), eq(categories.uid, uid)));
  if (!row) throw notFound("Category");
}

async function checkAttachments(tx: Transaction, uid: string, ids: string[] | undefined) {
  if (!ids?.length) return;
  const rows = await tx
    .select({ id: attachments.id })
    .from(attachments)
    .where(and(eq(attachments.uid, uid), inArray(attachments.id, ids)));
  if (rows.length !== new Set(ids).size) throw notFound("Attachment");
}

/** Links a new memo (one without tags yet) to its tags, and recounts them. */
async function insertTags(tx: Transaction, uid: string, memoId: string, tagIds: string[]) {
  if (tagIds.length === 0) return;
  await tx.insert(memoTags).values(memoTagRows(memoId, uid, tagIds));
  await recountTags(tx, tagIds);
}

/** Replaces a memo's tags, and recounts the ones it had and the ones it has. */
async function replaceTags(tx: Transaction, uid: string, memoId: string, tagIds: string[]) {
  const before = await tx.select({ tagId: memoTags.tagId }).from(memoTags).where(eq(memoTags.memoId, memoId));
  await tx.delete(memoTags).where(eq(memoTags.memoId, memoId));
  if (tagIds.length) await tx.insert(memoTags).values(memoTagRows(memoId, uid, tagIds));
  await recountTags(tx, [...before.map((r) => r.tagId), ...tagIds]);
}

/** Links a new memo (one without links yet) to other memos; targets must be the user's other memos. */
async function insertLinks(tx: Transaction, uid: string, memoId: string, targetIds: string[]) {
  const unique = [...new Set(targetIds)];
  if (unique.includes(memoId)) throw badRequest("A memo cannot link to itself");
  if ((await ownedMemoIds(tx, uid, unique)).size !== unique.length) throw notFound("Linked memo");
  if (unique.length) {
    await tx
      .insert(memoRelations)
      .values(
        unique.map((targetMemoId) => ({ id: createId("relation"), uid, sourceMemoId: memoId, targetMemoId })),
      );
  }
}

/** Replaces a memo's outgoing links. */
async function replaceLinks(tx: Transaction, uid: string, memoId: string, targetIds: string[]) {
  await tx.delete(memoRelations).where(eq(memoRelations.sourceMemoId, memoId));
  await insertLinks(tx, uid, memoId, targetIds);
}

/** A memo says something: text that is not only whitespace, or an attachment (a photo needs no caption). */
function assertNotBlank(content: string, attachmentIds: string[]) {
  if (!content.trim() && attachmentIds.length === 0)
    throw badRequest("A memo needs text or an attachment, not only whitespace");
}

async function loadOwned(tx: Transaction, uid: string, id: string, lock: boolean) {
  const query = tx
    .select()
    .from(memos)
    .where(and(eq(memos.id, id), eq(memos.uid, uid)))
    .limit(1);
  const [memo] = lock ? await query.for("update") : await query;
  if (!memo) throw notFound("Memo");
  return memo;
}

export const memoService = {
  async create(ctx: ApiDeps, uid: string, input: MemoCreateInput): Promise<MemoDto> {
    assertNotBlank(input.content, input.attachmentIds ?? []);
    const id = createId("memo");
    await withTransaction(ctx.db, async (tx) => {
      await checkCategory(tx, uid, input.categoryId);
      await checkAttachments(tx, uid, input.attachmentIds);
      const tagIds = await resolveTagIds(tx, uid, input.tagIds ?? [], input.tagNames ?? []);
      const createdAt = input.createdAt === undefined ? new Date() : new Date(input.createdAt);
      await tx.insert(memos).values({
        id,
        uid,
        content: input.content,
        type: input.type ?? "text",
        source: input.source ?? null,
        categoryId: input.categoryId ?? null,
        attachmentIds: input.attachmentIds ?? [],
        isPublic: input.isPublic ?? false,
        createdAt,
        updatedAt: input.updatedAt === undefined ? createdAt : new Date(input.updatedAt),
      });
      // A new memo has no tags or links to replace.
      await insertTags(tx, uid, id, tagIds);
      if (input.linkedMemoIds?.length) await insertLinks(tx, uid, id, input.linkedMemoIds);
      await enqueueVectorWork(tx, [{ uid, target: "memo", targetId: id, op: "upsert" }]);
    });
    await applyNow(ctx, memoJobs, [id], ctx.config.vectorDeadlineMs);
    return memoService.get(ctx, uid, id);
  },

  async get(ctx: ApiDeps, uid: string, id: string): Promise<MemoDto> {
    const [row] = await selectMemoRows(ctx.db, {
      where: and(eq(memos.id, id), eq(memos.uid, uid)),
      limit: 1,
    });
    if (!row) throw notFound("Memo");
    const [linkedMemoIds, states] = await Promise.all([
      outgoingLinkIds(ctx.db, id),
      indexStates(ctx.db, "memo", [id]),
    ]);
    return rowToMemoDto(row, { linkedMemoIds, indexState: states.get(id) });
  },

  async update(ctx: ApiDeps, uid: string, id: string, input: MemoPatch): Promise<MemoDto> {
    const contentChanged = await withTransaction(ctx.db, async (tx) => {
      const memo = await loadOwned(tx, uid, id, true);
      // Only an edit of the text or attachments is checked: a blank legacy memo can still be recategorised.
      if (input.content !== undefined || input.attachmentIds !== undefined)
        assertNotBlank(input.content ?? memo.content, input.attachmentIds ?? memo.attachmentIds);
      if (input.categoryId !== undefined) await checkCategory(tx, uid, input.categoryId);
      if (input.attachmentIds !== undefined) await checkAttachments(tx, uid, input.attachmentIds);
      const newContent = input.content !== memo.content ? input.content : undefined;
      await tx
        .update(memos)
        .set({
          content: input.content,
          type: input.type,
          source: input.source,
          categoryId: input.categoryId,
          attachmentIds: input.attachmentIds,
          isPublic: input.isPublic,
          createdAt: input.createdAt === undefined ? undefined : new Date(input.createdAt),
          updatedAt: input.updatedAt === undefined ? new Date() : new Date(input.updatedAt),
        })
        .where(eq(memos.id, id));
      if (input.tagIds !== undefined || input.tagNames !== undefined) {
        const tagIds = await resolveTagIds(tx, uid, input.tagIds ?? [], input.tagNames ?? []);
        await replaceTags(tx, uid, id, tagIds);
      }
      if (input.linkedMemoIds !== undefined) await replaceLinks(tx, uid, id, input.linkedMemoIds);
      if (newContent !== undefined) {
        await enqueueVectorWork(tx, [{ uid, target: "memo", targetId: id, op: "upsert" }]);
      }
      return newContent !== undefined;
    });
    if (contentChanged) await applyNow(ctx, memoJobs, [id], ctx.config.vectorDeadlineMs);
    return memoService.get(ctx, uid, id);
  },

  async delete(ctx: ApiDeps, uid: string, id: string) {
    await withTransaction(ctx.db, async (tx) => {
      await loadOwned(tx, uid, id, true);
      const tagRows = await tx
        .select({ tagId: memoTags.tagId })
        .from(memoTags)
        .where(eq(memoTags.memoId, id));
      // Links and tag links cascade with the memo; its terms and vector go with its vector work.
      await tx.delete(memos).where(eq(memos.id, id));
      await recountTags(
        tx,
        tagRows.map((r) => r.tagId),
      );
      await enqueueVectorWork(tx, [{ uid, target: "memo", targetId: id, op: "delete" }]);
    });
    await applyNow(ctx, memoJobs, [id], ctx.config.vectorDeadlineMs);
    return { ok: true as const };
  },
};
