import type { TRPCRouterRecord } from "@trpc/server";
import { z } from "zod";

import { categoryService } from "../services/categories";
import { protectedProcedure } from "../trpc";
import { colorSchema, idSchema, nameSchema } from "../validation";

export const categoryRouter = {
  list: protectedProcedure.query(({ ctx }) => categoryService.list(ctx, ctx.user.uid)),
  create: protectedProcedure
    .input(z.strictObject({ name: nameSchema, color: colorSchema.optional() }))
    .mutation(({ ctx, input }) => categoryService.create(ctx, ctx.user.uid, input)),
  update: protectedProcedure
    .input(
      z.strictObject({ id: idSchema, name: nameSchema.optional(), color: colorSchema.nullable().optional() }),
    )
    .mutation(({ ctx, input }) => categoryService.update(ctx, ctx.user.uid, input)),
  delete: protectedProcedure
    .input(z.strictObject({ id: idSchema }))
    .mutation(({ ctx, input }) => categoryService.delete(ctx, ctx.user.uid, input.id)),
} satisfies TRPCRouterRecord;
