import { attachments, memos, selectMemoRows } from "@aimo/db";
import { TRPCError } from "@trpc/server";
import { and, eq, inArray, or } from "drizzle-orm";

import type { ApiDeps } from "../../context";
import type { ImageSearchInput, SimilarMemosInput } from "../../schemas/attachment";
import { toAttachmentDto } from "../../dto/attachment";
import { holdsAttachment, loadOwnedAttachment } from "../attachments/attachments";
import { imageDataUri, isEmbeddableImage } from "../attachments/images";
import { rowToMemoDto } from "../memo-reads";

/** Search by image meaning (multimodal embeddings), beside memo search. */
export const imageSearchService = {
  /** The user's images that match a text, by multimodal embedding, best first. */
  async searchByText(ctx: ApiDeps, uid: string, input: ImageSearchInput) {
    const multimodal = requireMultimodal(ctx);
    const [vector] = await multimodal.embed([{ text: input.query }]);
    const hits = await ctx.vectors.attachments.search(uid, vector!, {
      limit: input.limit,
      minSimilarity: input.minSimilarity,
    });
    const rows = hits.length
      ? await ctx.db
          .select()
          .from(attachments)
          .where(
            and(
              eq(attachments.uid, uid),
              inArray(
                attachments.id,
                hits.map((h) => h.id),
              ),
            ),
          )
      : [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    return hits
      .filter((h) => byId.has(h.id))
      .map((h) => ({ attachment: toAttachmentDto(byId.get(h.id)!), score: h.similarity }));
  },

  /**
   * Memos by image: the user's memos that hold this image or images like it, ranked by their most similar
   * image (a memo holding the image itself has similarity 1).
   */
  async similarMemos(ctx: ApiDeps, uid: string, input: SimilarMemosInput) {
    const attachment = await loadOwnedAttachment(ctx, uid, input.attachmentId);
    const [stored] = await ctx.vectors.attachments.get([attachment.id]);
    let vector = stored?.uid === uid ? stored.vector : undefined;
    if (!vector) {
      const multimodal = requireMultimodal(ctx);
      if (!isEmbeddableImage(attachment)) {
        throw new TRPCError({ code: "BAD_REQUEST", message: "Only images can be matched by similarity" });
      }
      [vector] = await multimodal.embed([{ image: await imageDataUri(ctx.attachments.storage, attachment) }]);
    }
    const hits = await ctx.vectors.attachments.search(uid, vector!, {
      limit: input.limit * 4,
      minSimilarity: input.minSimilarity,
    });
    const similarities = new Map(hits.map((h) => [h.id, h.similarity]));
    similarities.set(attachment.id, 1);
    const rows = await selectMemoRows(ctx.db, {
      where: and(eq(memos.uid, uid), or(...[...similarities.keys()].map(holdsAttachment))),
    });
    return rows
      .map((row) => {
        const best = row.attachmentIds.reduce<{ id?: string; similarity: number }>(
          (top, id) =>
            (similarities.get(id) ?? -1) > top.similarity ? { id, similarity: similarities.get(id)! } : top,
          { similarity: -1 },
        );
        return { memo: rowToMemoDto(row), attachmentId: best.id!, similarity: best.similarity };
      })
      .sort((a, b) => b.similarity - a.similarity || b.memo.createdAt - a.memo.createdAt)
      .slice(0, input.limit);
  },
};

function requireMultimodal(ctx: ApiDeps) {
  if (!ctx.multimodal) {
    throw new TRPCError({
      code: "PRECONDITION_FAILED",
      message: "Image search needs a multimodal embedding provider (set DASHSCOPE_API_KEY)",
    });
  }
  return ctx.multimodal;
}
