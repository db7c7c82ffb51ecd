import type { TRPCRouterRecord } from "@trpc/server";

import { labelCreateInput, labelUpdateInput } from "../schemas/label";
import { tagService } from "../services/tags";
import { protectedProcedure } from "../trpc";
import { idInput } from "../validation";

export const tagRouter = {
  list: protectedProcedure.query(({ ctx }) => tagService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(labelCreateInput)
    .mutation(({ ctx, input }) => tagService.create(ctx, ctx.user.uid, input)),
  update: protectedProcedure
    .input(labelUpdateInput)
    .mutation(({ ctx, input }) => tagService.update(ctx, ctx.user.uid, input)),
  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => tagService.delete(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
