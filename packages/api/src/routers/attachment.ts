import type { TRPCRouterRecord } from "@trpc/server";

import { attachmentUpdateInput, imageSearchInput, similarMemosInput } from "../schemas/attachment";
import { attachmentService } from "../services/attachments/attachments";
import { imageSearchService } from "../services/search/images";
import { protectedProcedure, publicProcedure } from "../trpc";
import { idInput, pageInput } from "../validation";

/** Uploads arrive over `POST /attachments` (multipart); everything else is here. */
export const attachmentRouter = {
  list: protectedProcedure
    .input(pageInput.default({ limit: 20 }))
    .query(({ ctx, input }) => attachmentService.list(ctx, ctx.user.uid, input)),
  get: protectedProcedure
    .input(idInput)
    .query(({ ctx, input }) => attachmentService.get(ctx, ctx.user.uid, input.id)),
  /** An expiring link to the bytes: the owner's, or anyone's for an attachment shown by a public memo. */
  getUrl: publicProcedure
    .input(idInput)
    .query(({ ctx, input }) => attachmentService.getUrl(ctx, ctx.user?.uid ?? null, input.id)),
  update: protectedProcedure
    .input(attachmentUpdateInput)
    .mutation(({ ctx, input: { id, ...patch } }) => attachmentService.update(ctx, ctx.user.uid, id, patch)),
  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => attachmentService.delete(ctx, ctx.user.uid, input.id)),
  /** Images by what they show, from a text. */
  searchByText: protectedProcedure
    .input(imageSearchInput)
    .query(({ ctx, input }) => imageSearchService.searchByText(ctx, ctx.user.uid, input)),
  /** Memos by image: those holding this image or similar ones. */
  similarMemos: protectedProcedure
    .input(similarMemosInput)
    .query(({ ctx, input }) => imageSearchService.similarMemos(ctx, ctx.user.uid, input)),
} satisfies TRPCRouterRecord;
