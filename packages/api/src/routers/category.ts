import type { TRPCRouterRecord } from "@trpc/server";

import { labelCreateInput, labelUpdateInput } from "../schemas/label";
import { categoryService } from "../services/categories";
import { protectedProcedure } from "../trpc";
import { idInput } from "../validation";

export const categoryRouter = {
  list: protectedProcedure.query(({ ctx }) => categoryService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(labelCreateInput)
    .mutation(({ ctx, input }) => categoryService.create(ctx, ctx.user.uid, input)),
  update: protectedProcedure
    .input(labelUpdateInput)
    .mutation(({ ctx, input }) => categoryService.update(ctx, ctx.user.uid, input)),
  delete: protectedProcedure
    .input(idInput)
    .mutation(({ ctx, input }) => categoryService.delete(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
