import type { TRPCRouterRecord } from "@trpc/server";

import { linkInput, memoLinksInput } from "../schemas/relation";
import { relationService } from "../services/relations";
import { protectedProcedure } from "../trpc";

export const relationRouter = {
  link: protectedProcedure
    .input(linkInput)
    .mutation(({ ctx, input }) => relationService.link(ctx, ctx.user.uid, input)),
  unlink: protectedProcedure
    .input(linkInput)
    .mutation(({ ctx, input }) => relationService.unlink(ctx, ctx.user.uid, input)),
  outgoing: protectedProcedure
    .input(memoLinksInput)
    .query(({ ctx, input }) => relationService.outgoing(ctx, ctx.user.uid, input.memoId)),
  backlinks: protectedProcedure
    .input(memoLinksInput)
    .query(({ ctx, input }) => relationService.backlinks(ctx, ctx.user.uid, input.memoId)),
  graph: protectedProcedure.query(({ ctx }) => relationService.graph(ctx, ctx.user.uid)),
} satisfies TRPCRouterRecord;
