import { z } from "zod";

import { attachmentService } from "../services/attachments/attachments";
import { imageSearchService } from "../services/search/images";
import { protectedProcedure, publicProcedure } from "../trpc";
import { idSchema, minSimilarityFields, pageSizeSchema, withMinSimilarity } from "../validation";

/** Uploads arrive over `POST /attachments` (multipart); everything else is here. */
export const attachmentRouter = {
  list: protectedProcedure
    .input(
      z
        .strictObject({ limit: pageSizeSchema, cursor: z.string().max(512).optional() })
        .default({ limit: 20 }),
    )
    .query(({ ctx, input }) => attachmentService.list(ctx, ctx.user.uid, input)),
  get: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => attachmentService.get(ctx, ctx.user.uid, input.id)),
  /** An expiring link to the bytes: the owner's, or anyone's for an attachment shown by a public memo. */
  getUrl: publicProcedure
    .input(z.strictObject({ id: idSchema }))
    .query(({ ctx, input }) => attachmentService.getUrl(ctx, ctx.user?.uid ?? null, input.id)),
  delete: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => attachmentService.delete(ctx, ctx.user.uid, input.id)),
  /** Images by what they show, from a text. */
  searchByText: protectedProcedure
    .input(
      z
        .strictObject({
          query: z.string().trim().min(1).max(500),
          limit: z.number().int().min(1).max(50).default(20),
          ...minSimilarityFields,
        })
        .transform(withMinSimilarity),
    )
    .query(({ ctx, input }) => imageSearchService.searchByText(ctx, ctx.user.uid, input)),
  /** Memos by image: those holding this image or similar ones. */
  similarMemos: protectedProcedure
    .input(
      z
        .strictObject({
          attachmentId: idSchema,
          limit: z.number().int().min(1).max(50).default(10),
          ...minSimilarityFields,
        })
        .transform(withMinSimilarity),
    )
    .query(({ ctx, input }) => imageSearchService.similarMemos(ctx, ctx.user.uid, input)),
};
