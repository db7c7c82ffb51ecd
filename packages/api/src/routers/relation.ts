import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { relationService } from "../services/relations";
import { protectedProcedure } from "../trpc";
import { idSchema } from "../validation";

const linkSchema = z.strictObject({ sourceMemoId: idSchema, targetMemoId: idSchema });

export const relationRouter = {
  link: protectedProcedure
    .input(linkSchema)
    .mutation(({ ctx, input }) => relationService.link(ctx, ctx.user.uid, input)),
  unlink: protectedProcedure
    .input(linkSchema)
    .mutation(({ ctx, input }) => relationService.unlink(ctx, ctx.user.uid, input)),
  outgoing: protectedProcedure
    .input(z.strictObject({ memoId: idSchema }))
    .query(({ ctx, input }) => relationService.outgoing(ctx, ctx.user.uid, input.memoId)),
  backlinks: protectedProcedure
    .input(z.strictObject({ memoId: idSchema }))
    .query(({ ctx, input }) => relationService.backlinks(ctx, ctx.user.uid, input.memoId)),
  graph: protectedProcedure.query(({ ctx }) => relationService.graph(ctx, ctx.user.uid)),
} satisfies TRPCRouterRecord;
